/**
 * Makespan of the orchestrator on a simulated workload: 200 features with the dependency shapes an
 * initializer produces (an infrastructure root and layer, categories with local chains, some
 * cross-category edges), each with a scripted duration (5-60 min), run by simulated agents on a
 * simulated clock at concurrency 1/3/5/10. Reports makespan / max(critical path, total work /
 * slots) (goal <= 1.10) and slot utilisation (goal >= 90 % where the graph allows it), and the
 * orchestrator's real overhead per agent start, in memory and with real git worktrees plus the
 * SDK launcher's setup (policy, tool server, prompt) up to the model runtime's start.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import type { AgentSession, ModelRuntime } from '../src/agents/runtime.js'
import {
  createSdkLauncher,
  gitWorkspace,
  Orchestrator,
  sharedWorkspace,
} from '../src/orchestrator/index.js'
import { ProjectStore } from '../src/store/index.js'
import { FakeClock } from '../test/fakes/fake-clock.js'
import { testContainment } from '../test/helpers/containment.js'
import { simLauncher } from '../test/fakes/sim-launcher.js'
import { initProject } from '../test/integration/orchestrator/real-run.js'

interface BoardFeature {
  category: string
  deps: number[]
  durationMs: number
}

function realisticBoard(size: number, seed: number): BoardFeature[] {
  let state = seed
  const random = (): number => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32
  const minutes = (): number => Math.round((5 + 55 * random() ** 2) * 60_000)
  const board: BoardFeature[] = [{ category: 'infrastructure', deps: [], durationMs: minutes() }]
  for (let id = 2; id <= 5; id++)
    board.push({ category: 'infrastructure', deps: [1], durationMs: minutes() })
  const categories = Array.from({ length: 10 }, (_, i) => `area-${i}`)
  const byCategory = new Map<string, number[]>()
  for (let id = 6; id <= size; id++) {
    const category = categories[Math.floor(random() * categories.length)]!
    const earlier = byCategory.get(category) ?? []
    const deps = new Set<number>([2 + Math.floor(random() * 4)])
    if (earlier.length > 0 && random() < 0.6)
      deps.add(earlier[earlier.length - 1 - Math.floor(random() * Math.min(3, earlier.length))]!)
    if (random() < 0.15) deps.add(6 + Math.floor(random() * (id - 6)) || 2)
    deps.delete(id)
    board.push({ category, deps: [...deps].filter((dep) => dep < id), durationMs: minutes() })
    byCategory.set(category, [...earlier, id])
  }
  return board
}

function criticalPathMs(board: readonly BoardFeature[]): number {
  const finish: number[] = []
  for (const [index, feature] of board.entries()) {
    finish[index] = feature.durationMs + Math.max(0, ...feature.deps.map((dep) => finish[dep - 1]!))
  }
  return Math.max(...finish)
}

/**
 * What the graph allows with `slots` slots, as a reference: greedy list scheduling that knows every
 * duration and always starts the ready feature with the longest remaining path (which the real
 * orchestrator cannot know).
 */
function oracleMakespanMs(board: readonly BoardFeature[], slots: number): number {
  const n = board.length
  const children: number[][] = board.map(() => [])
  board.forEach((feature, index) => feature.deps.forEach((dep) => children[dep - 1]!.push(index)))
  const level = new Array<number>(n).fill(0)
  for (let i = n - 1; i >= 0; i--)
    level[i] = board[i]!.durationMs + Math.max(0, ...children[i]!.map((c) => level[c]!))
  const waiting = board.map((feature) => feature.deps.length)
  const ready = board.flatMap((_, i) => (waiting[i] === 0 ? [i] : []))
  const running: Array<{ end: number; index: number }> = []
  let now = 0
  let done = 0
  while (done < n) {
    ready.sort((a, b) => level[b]! - level[a]!)
    while (running.length < slots && ready.length > 0) {
      const index = ready.shift()!
      running.push({ end: now + board[index]!.durationMs, index })
    }
    running.sort((a, b) => a.end - b.end)
    const next = running.shift()!
    now = next.end
    done++
    for (const child of children[next.index]!) if (--waiting[child]! === 0) ready.push(child)
  }
  return now
}

function seedStore(store: ProjectStore, board: readonly BoardFeature[]): void {
  const created = store.features.create(
    board.map((feature) => ({
      category: feature.category,
      name: 'f',
      description: '',
      steps: [],
      dependencies: [],
      dependsOnIndices: feature.deps.map((dep) => dep - 1),
    })),
    { by: 'bench' },
  )
  if (!created.ok) throw new Error(created.error.message)
}

async function simulate(
  board: readonly BoardFeature[],
  concurrency: number,
  batchSize: number,
): Promise<Record<string, unknown>> {
  // Time jumps to the next timer whenever the program is idle.
  const clock = new FakeClock(0)
  const store = ProjectStore.memory(clock)
  seedStore(store, board)
  let busyMs = 0
  let starts = 0
  const durationOf = (ids: readonly number[]): number =>
    ids.reduce((sum, id) => sum + board[id - 1]!.durationMs, 0)
  const orchestrator = new Orchestrator({
    store,
    workspace: sharedWorkspace('/nonexistent'),
    launcher: simLauncher({
      store,
      clock,
      limits: { idleTimeoutMs: 1e12, sessionTimeoutMs: 1e12, interruptGraceMs: 1000 },
      durationMs: (assignment) => {
        starts++
        const ms = durationOf(assignment.featureIds)
        busyMs += ms
        return ms
      },
    }),
    settings: { concurrency, batchSize, testingAgents: 0 },
    environment: { clock, random: () => 0.5, host: 'bench' },
  })
  const wallStart = performance.now()
  let finished = false
  const run = orchestrator.run().then((report) => {
    finished = true
    return report
  })
  while (!finished) {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve))
    if (!finished && !clock.advanceToNext())
      throw new Error('simulation stalled: nothing runs and no timer is due')
  }
  const report = await run
  const wallMs = performance.now() - wallStart
  if (!report.ok || report.value.reason !== 'complete')
    throw new Error(`run did not complete: ${JSON.stringify(report)}`)
  const makespan = clock.now()
  const totalWork = board.reduce((sum, feature) => sum + feature.durationMs, 0)
  const bound = Math.max(criticalPathMs(board), totalWork / concurrency)
  return {
    concurrency,
    batchSize,
    makespanH: +(makespan / 3_600_000).toFixed(2),
    lowerBoundH: +(bound / 3_600_000).toFixed(2),
    ratio: +(makespan / bound).toFixed(3),
    utilisation: +(busyMs / (concurrency * makespan)).toFixed(3),
    oracleH: +(oracleMakespanMs(board, concurrency) / 3_600_000).toFixed(2),
    ratioToOracle: +(makespan / oracleMakespanMs(board, concurrency)).toFixed(3),
    oracleUtilisation: +(totalWork / (concurrency * oracleMakespanMs(board, concurrency))).toFixed(
      3,
    ),
    agentStarts: starts,
    overheadPerAgentStartMs: +(wallMs / starts).toFixed(2),
  }
}

/** Real overhead per agent start: claim -> worktree -> policy, tool server, prompt -> runtime.start(). */
async function gitStartOverhead(concurrency: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'autocoder-bench-'))
  try {
    initProject(dir)
    const store = ProjectStore.open(dir)
    if (!store.ok) throw new Error(store.error.message)
    const count = 9
    seedStore(
      store.value,
      Array.from({ length: count }, () => ({ category: 'c', deps: [], durationMs: 0 })),
    )
    const claimedAt = new Map<string, number>()
    const overheads: number[] = []
    store.value.events.subscribe((event) => {
      if (event.type === 'feature.claimed' && !claimedAt.has(event.agentId))
        claimedAt.set(event.agentId, performance.now())
    })
    const runtime: ModelRuntime = {
      start(spec): AgentSession {
        overheads.push(performance.now() - claimedAt.get(spec.agentId)!)
        const stream = (async function* () {
          // A session of a second, so that starts overlap other agents' merges as in a real run.
          await new Promise((resolve) => setTimeout(resolve, 1000))
          for (const id of spec.featureIds) store.value.claims.report(id, spec.agentId, 'passing')
          yield {
            type: 'session.end' as const,
            status: 'success' as const,
            failure: null,
            usage: {
              inputTokens: 0,
              outputTokens: 0,
              cacheReadTokens: 0,
              cacheWriteTokens: 0,
              costUsd: 0,
            },
            numTurns: 1,
            durationMs: 0,
          }
        })()
        return {
          [Symbol.asyncIterator]: () => stream,
          interrupt: () => Promise.resolve(),
          close: () => undefined,
        }
      },
    }
    const launcher = createSdkLauncher({
      store: store.value,
      projectDir: dir,
      clock: store.value.clock,
      provider: {
        kind: 'compatible',
        env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' },
        description: 'none',
      },
      models: { initializer: 'm', coding: 'm', testing: 'm' },
      env: process.env,
      isRoot: false,
      leaseMs: 60_000,
      yolo: true,
      chromiumPath: null,
      runtime,
      // Its fake runtime runs no agent code: no pods, so the figure stays the orchestrator's own.
      containment: testContainment(dir, { unsandboxed: true }),
    })
    const orchestrator = new Orchestrator({
      store: store.value,
      launcher,
      workspace: gitWorkspace({ projectDir: dir }),
      settings: { concurrency, batchSize: 1 },
    })
    const report = await orchestrator.run()
    store.value.close()
    if (!report.ok || report.value.reason !== 'complete')
      throw new Error(`git run did not complete: ${JSON.stringify(report)}`)
    overheads.sort((a, b) => a - b)
    return {
      concurrency,
      agentStarts: overheads.length,
      medianMs: +overheads[Math.floor(overheads.length / 2)]!.toFixed(1),
      p90Ms: +overheads[Math.floor(overheads.length * 0.9)]!.toFixed(1),
      goalMs: 200,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const board = realisticBoard(200, 7)
const results: Array<Record<string, unknown>> = []
for (const batchSize of process.env['ONLY_GIT'] ? [] : [1, 3]) {
  for (const concurrency of [1, 3, 5, 10])
    results.push(await simulate(board, concurrency, batchSize))
}
process.stdout.write(
  `${JSON.stringify({
    bench: 'makespan',
    features: board.length,
    criticalPathH: +(criticalPathMs(board) / 3_600_000).toFixed(2),
    totalWorkH: +(board.reduce((sum, f) => sum + f.durationMs, 0) / 3_600_000).toFixed(2),
    runs: results,
    startOverheadWithGit: [await gitStartOverhead(1), await gitStartOverhead(3)],
  })}\n`,
)
