// `autocoder run --project DIR` without --agent is the orchestrator: its flags reach it, a project
// held by another live orchestrator is refused naming the holder, and flags of the other mode are
// refused instead of ignored. (Full runs with agents: test/e2e/orchestrator*.test.ts, demo tests.)
import { hostname } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { ProjectStore } from '../../src/store/index.js'
import { runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'

/** A project whose two features already pass; `lockedByUs` makes this test process hold its lock. */
function finishedProject(dir: string, lockedByUs = false): void {
  const store = ProjectStore.open(dir)
  if (!store.ok) throw new Error(store.error.message)
  using _ = store.value
  store.value.features.create(
    [
      { category: 'a', name: 'one', description: '', steps: [], dependencies: [] },
      { category: 'a', name: 'two', description: '', steps: [], dependencies: [] },
    ],
    { by: 'test' },
  )
  for (const id of [1, 2])
    store.value.features.transition(id, 'passing', {
      by: 'test',
      actor: 'operator',
      reason: 'test',
      extra: 'verified',
    })
  if (lockedByUs)
    store.value.locks.acquire(
      { owner: 'run-holder1', pid: process.pid, host: hostname() },
      60_000,
      () => true,
    )
}

const env = (dir: string) => ({
  ANTHROPIC_API_KEY: 'unused',
  ANTHROPIC_BASE_URL: '',
  AUTOCODER_HOME: join(dir, 'home'),
})

describe('autocoder run without --agent', () => {
  it('runs the orchestrator with the given flags and ends at once when every feature passes', () => {
    using dir = tempDir()
    finishedProject(dir.path)
    const result = runCli(
      [
        'run',
        '--project',
        dir.path,
        '--concurrency',
        '3',
        '--testing-agents',
        '1',
        '--max-cost',
        '5',
      ],
      { env: env(dir.path) },
    )
    expect(result.stderr).toBe('')
    expect(result.stdout).toContain('3 coding, 1 testing agent(s)')
    expect(result.stdout).toContain('features: 2/2 passing · spent $0.00 · complete')
    expect(result.status).toBe(0)
  })

  it('exits 5 naming the holder when another live orchestrator runs the project', () => {
    using dir = tempDir()
    finishedProject(dir.path, true)
    const result = runCli(['run', '--project', dir.path], { env: env(dir.path) })
    expect(result.stderr).toContain(
      `Another orchestrator (run-holder1, pid ${process.pid} on ${hostname()}) is running this project`,
    )
    expect(result.status).toBe(5)
  })

  it('refuses single-agent flags without --agent and orchestrator flags with it', () => {
    using dir = tempDir()
    const orchestrator = runCli(['run', '--project', dir.path, '--feature-ids', '1'], {
      env: env(dir.path),
    })
    expect(orchestrator.stderr).toContain(
      '--feature-ids applies only to a single agent (with --agent ROLE)',
    )
    expect(orchestrator.status).toBe(2)
    const single = runCli(
      ['run', '--project', dir.path, '--agent', 'coding', '--concurrency', '2', '--max-hours', '1'],
      { env: env(dir.path) },
    )
    expect(single.stderr).toContain(
      '--concurrency, --max-hours apply only to the orchestrator (without --agent)',
    )
    expect(single.status).toBe(2)
  })
})
