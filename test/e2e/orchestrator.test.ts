// The orchestrator end to end: `autocoder run` (runOrchestrated) in its own process with the real
// claude binary against the scripted model; two runs on one project; deadlocks.
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { ProjectStore } from '../../src/store/index.js'
import { tempDir } from '../helpers/tmp.js'
import { makeProject, startRunner, waitForOutput } from './orchestrator-helpers.js'

describe('autocoder run', () => {
  it('refuses a second run on the same project with a message naming the holder', async () => {
    using dir = tempDir()
    const projectDir = makeProject(dir.path, 2, (id) => (id === 1 ? [] : [id - 1]))
    const first = startRunner(projectDir, ['--concurrency', '1'])
    await waitForOutput(first, (output) => output.includes('coding agent started'))
    const second = startRunner(projectDir)
    const code = await second.exited
    const pid = first.child.pid
    expect(code).toBe(5)
    expect(second.output()).toMatch(
      new RegExp(
        `Another orchestrator \\(run-[a-z0-9]+, pid ${pid} on [^)]+\\) is running this project`,
      ),
    )
    expect(await first.exited).toBe(0)
    expect(first.output()).toContain('features: 2/2 passing')
  }, 120_000)

  it('stops on a dependency cycle and a missing dependency with a report and a non-zero exit, within seconds', async () => {
    using dir = tempDir()
    // 1 and 2 depend on each other (through the database: the tools refuse cycles); 3 on a missing id.
    const projectDir = makeProject(dir.path, 3, () => [])
    const store = ProjectStore.open(projectDir)
    if (!store.ok) throw new Error(store.error.message)
    const edge = store.value.db.prepare(
      'INSERT INTO feature_dependencies (feature_id, depends_on) VALUES (?, ?)',
    )
    edge.run(1, 2)
    edge.run(2, 1)
    edge.run(3, 99)
    store.value.close()
    const started = Date.now()
    const runner = startRunner(projectDir)
    const code = await runner.exited
    expect(code).toBe(4)
    expect(runner.output()).toContain('cycle: #1 -> #2 -> #1')
    expect(runner.output()).toContain('#3 feature 3: pending; depends on missing #99')
    expect(runner.output()).toContain('features: 0/3 passing')
    // From the run's start to its end in the event log (process start-up aside): seconds at most.
    const reopened = ProjectStore.open(projectDir)
    if (!reopened.ok) throw new Error(reopened.error.message)
    using _ = reopened.value
    const events = reopened.value.events.after(0, 10_000)
    const runStarted = events.find((event) => event.type === 'run.started')!
    const runFinished = events.find((event) => event.type === 'run.finished')!
    expect(runFinished.at - runStarted.at).toBeLessThan(5_000)
    expect(events.some((event) => event.type === 'run.deadlock')).toBe(true)
    expect(Date.now() - started).toBeLessThan(30_000)
  }, 60_000)
})

describe('autocoder run on a broken repository', () => {
  it('ends with the code of the failure (GIT_FAILED) in its last lines and exits 1', async () => {
    using dir = tempDir()
    const projectDir = makeProject(dir.path, 1, () => [])
    // `.git` a file that points nowhere: git cannot prepare the workspace.
    rmSync(join(projectDir, '.git'), { recursive: true, force: true })
    writeFileSync(join(projectDir, '.git'), 'not a gitdir\n')
    const runner = startRunner(projectDir)
    expect(await runner.exited).toBe(1)
    expect(runner.output()).toMatch(/GIT_FAILED: Orchestrator error: git .*invalid gitfile format/)
    expect(runner.output()).toContain('features: 0/1 passing')
  }, 60_000)
})

describe('autocoder run and signals', () => {
  it('stops gracefully on SIGTERM: agents interrupted, features released, worktrees removed, exit 130', async () => {
    using dir = tempDir()
    const projectDir = makeProject(dir.path, 3, (id) => (id === 1 ? [] : [id - 1]))
    const runner = startRunner(projectDir, ['--concurrency', '1'])
    await waitForOutput(runner, (output) => output.includes('coding agent started'))
    runner.child.kill('SIGTERM')
    expect(await runner.exited).toBe(130)
    expect(runner.output()).toContain('SIGTERM: stopping the agents')
    expect(runner.output()).toContain('Stopped: interrupted by SIGTERM.')
    const store = ProjectStore.open(projectDir)
    if (!store.ok) throw new Error(store.error.message)
    using _ = store.value
    expect(store.value.claims.list()).toEqual([])
    expect(store.value.locks.current()).toBeUndefined()
    expect(store.value.features.list().map((feature) => [feature.state, feature.attempts])).toEqual(
      [
        ['pending', 0],
        ['pending', 0],
        ['pending', 0],
      ],
    )
    const worktrees = join(projectDir, '.autocoder', 'worktrees')
    expect(existsSync(worktrees) ? readdirSync(worktrees) : []).toEqual([])
  }, 60_000)
})
