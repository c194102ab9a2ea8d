/**
 * Planning a random 10,000-feature DAG (the shapes an initializer produces: infrastructure roots,
 * wide layers, 0-4 dependencies each) and 20,000 to show how it scales. Goal: under 50 ms at 10,000.
 */
import { buildCodingBatches } from '../src/core/batching.js'
import { planFeatures } from '../src/core/scheduling.js'
import { randomBoard } from './random-board.js'

function measure(size: number): {
  size: number
  edges: number
  medianMs: number
  p90Ms: number
  ready: number
  blocked: number
} {
  const board = randomBoard(size, 42)
  const times: number[] = []
  let plan = planFeatures(board)
  for (let run = 0; run < 15; run++) {
    const start = performance.now()
    plan = planFeatures(board)
    buildCodingBatches(board, plan.scores, 3)
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return {
    size,
    edges: board.reduce((sum, f) => sum + f.dependencies.length, 0),
    medianMs: Number(times[Math.floor(times.length / 2)]!.toFixed(2)),
    p90Ms: Number(times[Math.floor(times.length * 0.9)]!.toFixed(2)),
    ready: plan.ready.length,
    blocked: plan.blocked.length,
  }
}

const small = measure(10_000)
const large = measure(20_000)
console.log(
  JSON.stringify({
    bench: 'plan',
    features: small.size,
    edges: small.edges,
    medianMs: small.medianMs,
    p90Ms: small.p90Ms,
    goalMs: 50,
    met: small.medianMs < 50,
    scaling: {
      features: large.size,
      medianMs: large.medianMs,
      ratioFor2xInput: Number((large.medianMs / small.medianMs).toFixed(2)),
    },
    ready: small.ready,
    blocked: small.blocked,
  }),
)
