// Crash safety: `kill -9` the orchestrator process at random moments; a restart always finishes the
// run, no passing feature is lost, no claim dangles and no worktree or agent branch is left.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { ProjectStore } from '../../src/store/index.js'
import { tempDir } from '../helpers/tmp.js'
import { makeProject, startRunner, waitForOutput } from './orchestrator-helpers.js'

const RUNS = 10
const PARALLEL = 5

/** A small seeded generator, so a failing kill schedule can be replayed (seed in the test name). */
function mulberry32(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const seed = Number(process.env['CRASH_SEED'] ?? Date.now() % 100_000)

function passingIds(projectDir: string): number[] {
  const store = ProjectStore.open(projectDir)
  if (!store.ok) throw new Error(store.error.message)
  try {
    return store.value.features
      .list()
      .filter((f) => f.state === 'passing')
      .map((f) => f.id)
      .sort((a, b) => a - b)
  } finally {
    store.value.close()
  }
}

interface KillPoint {
  /** Kill once this many features passed (0-2) ... */
  afterPasses: number
  /** ... plus this delay. */
  delayMs: number
}

interface CrashResult extends KillPoint {
  killed: boolean
  passingAtKill: number[]
  restarts: number
}

async function crashAndRestart(point: KillPoint): Promise<CrashResult> {
  using dir = tempDir()
  // Two independent features and one that needs both: two agents, then a third.
  const projectDir = makeProject(dir.path, 3, (id) => (id === 3 ? [1, 2] : []))
  const first = startRunner(projectDir, ['--concurrency', '2'])
  await waitForOutput(
    first,
    (output) => (output.match(/-> passing/g) ?? []).length >= point.afterPasses,
  )
  const timer = new Promise<'timer'>((resolve) => setTimeout(() => resolve('timer'), point.delayMs))
  const killed =
    (await Promise.race([first.exited.then(() => 'exited' as const), timer])) === 'timer'
  if (killed) {
    first.child.kill('SIGKILL')
    await first.exited
  }
  const passingAtKill = passingIds(projectDir)
  let restarts = 0
  const outputs: string[] = []
  for (;;) {
    restarts++
    const next = startRunner(projectDir, ['--concurrency', '2'])
    const code = await next.exited
    outputs.push(`restart ${restarts} exited ${code}:\n${next.output()}`)
    if (code === 0) break
    if (restarts >= 2)
      throw new Error(
        `restart ${restarts} after a kill at ${JSON.stringify(point)} failed.\nkilled run:\n${first.output()}\n${outputs.join('\n')}`,
      )
  }
  const store = ProjectStore.open(projectDir)
  if (!store.ok) throw new Error(store.error.message)
  try {
    const features = store.value.features.list()
    expect(features.map((f) => f.state)).toEqual(['passing', 'passing', 'passing'])
    expect(store.value.claims.list()).toEqual([])
    expect(store.value.locks.current()).toBeUndefined()
  } finally {
    store.value.close()
  }
  for (const id of passingAtKill) expect(passingIds(projectDir)).toContain(id)
  for (const id of [1, 2, 3]) expect(existsSync(join(projectDir, `feature-${id}.txt`))).toBe(true)
  const worktrees = join(projectDir, '.autocoder', 'worktrees')
  expect(existsSync(worktrees) ? readdirSync(worktrees) : []).toEqual([])
  expect(
    execFileSync('git', ['branch', '--list', 'autocoder/*'], { cwd: projectDir, encoding: 'utf8' }),
  ).toBe('')
  expect(
    execFileSync('git', ['worktree', 'list'], { cwd: projectDir, encoding: 'utf8' })
      .trim()
      .split('\n'),
  ).toHaveLength(1)
  expect(
    execFileSync('git', ['status', '--porcelain'], { cwd: projectDir, encoding: 'utf8' }),
  ).toBe('')
  return { ...point, killed, passingAtKill, restarts }
}

describe('crash safety', () => {
  it(`finishes every run restarted after kill -9 at random moments (seed ${seed})`, async () => {
    const random = mulberry32(seed)
    // Kill points spread over the run: before any pass, between merges, after two passes.
    const schedule = Array.from({ length: RUNS }, (_, i) => ({
      afterPasses: i % 3,
      delayMs: Math.round(random() * 3_000),
    }))
    const results: CrashResult[] = []
    for (let i = 0; i < RUNS; i += PARALLEL) {
      results.push(
        ...(await Promise.all(
          schedule.slice(i, i + PARALLEL).map((point) => crashAndRestart(point)),
        )),
      )
    }
    // Most kills must land mid-run, and some after a feature passed, or the test proves little.
    expect(results.filter((result) => result.killed).length).toBeGreaterThanOrEqual(RUNS - 2)
    expect(
      results.filter((result) => result.killed && result.passingAtKill.length > 0).length,
    ).toBeGreaterThan(0)
    process.stdout.write(`crash runs (seed ${seed}): ${JSON.stringify(results)}\n`)
  }, 600_000)
})
