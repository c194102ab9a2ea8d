/**
 * Planning a random 10,000-feature DAG (the shapes an initializer produces: infrastructure roots,
 * wide layers, about 65,000 edges; see random-board.ts): planFeatures and the coding batches, and
 * 20,000 to show how it scales. Goal: median under 10 ms at 10,000. The CPU time is printed too:
 * on a loaded machine the wall time also counts the time spent waiting for a core.
 */
import { buildCodingBatches } from '../src/core/batching.js'
import { planFeatures } from '../src/core/scheduling.js'
import { randomBoard } from './random-board.js'

function measure(size: number): {
  size: number
  edges: number
  medianMs: number
  p90Ms: number
  cpuMedianMs: number
  ready: number
  blocked: number
} {
  const board = randomBoard(size, 42)
  const times: number[] = []
  const cpuTimes: number[] = []
  let plan = planFeatures(board)
  for (let run = 0; run < 31; run++) {
    const start = performance.now()
    const cpuStart = process.cpuUsage()
    plan = planFeatures(board)
    buildCodingBatches(board, plan.scores, 3)
    const cpu = process.cpuUsage(cpuStart)
    times.push(performance.now() - start)
    cpuTimes.push((cpu.user + cpu.system) / 1000)
  }
  times.sort((a, b) => a - b)
  cpuTimes.sort((a, b) => a - b)
  return {
    size,
    edges: board.reduce((sum, f) => sum + f.dependencies.length, 0),
    medianMs: Number(times[Math.floor(times.length / 2)]!.toFixed(2)),
    p90Ms: Number(times[Math.floor(times.length * 0.9)]!.toFixed(2)),
    cpuMedianMs: Number(cpuTimes[Math.floor(cpuTimes.length / 2)]!.toFixed(2)),
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
    // CPU time of this process (all its threads): what the wall time is on an idle machine.
    cpuMedianMs: small.cpuMedianMs,
    goalMs: 10,
    met: small.medianMs < 10,
    scaling: {
      features: large.size,
      medianMs: large.medianMs,
      ratioFor2xInput: Number((large.medianMs / small.medianMs).toFixed(2)),
    },
    ready: small.ready,
    blocked: small.blocked,
  }),
)
