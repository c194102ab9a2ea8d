// `autocoder status` and `autocoder answer` read and write the project database directly, so they
// work while a run is going (and without one).
import { hostname } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { ProjectStore } from '../../src/store/index.js'
import { runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'

function project(dir: string): void {
  const store = ProjectStore.open(dir)
  if (!store.ok) throw new Error(store.error.message)
  try {
    const s = store.value
    s.features.create(
      [
        { category: 'a', name: 'login page', description: '', steps: [], dependencies: [] },
        { category: 'a', name: 'payments', description: '', steps: [], dependencies: [] },
        { category: 'a', name: 'profile', description: '', steps: [], dependencies: [] },
      ],
      { by: 'test' },
    )
    s.features.transition(1, 'passing', {
      by: 'test',
      actor: 'operator',
      reason: 'test',
      extra: 'verified',
    })
    s.notes.add(2, 'c1-x', 'question', 'Which payment provider should be used?')
    s.features.transition(2, 'needs_human', {
      by: 'c1-x',
      actor: 'operator',
      reason: 'asked a person',
    })
    s.claims.claim([3], 'c2-run', 'coding', 60_000)
    s.sessions.start({
      id: 's1',
      runId: 'run-abc',
      agentId: 'c2-run',
      role: 'coding',
      featureIds: [3],
      model: 'claude-sonnet-4-5',
    })
    s.sessions.addUsage('s1', {
      inputTokens: 10,
      outputTokens: 5,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: 1.25,
    })
    s.locks.acquire({ owner: 'run-abc', pid: 4242, host: 'elsewhere' }, 60_000, () => true)
  } finally {
    store.value.close()
  }
}

describe('autocoder status and answer', () => {
  it('shows the run, the board, the running agents and the spend while a run is going', () => {
    using dir = tempDir()
    project(dir.path)
    const env = { AUTOCODER_HOME: join(dir.path, 'home') }
    const text = runCli(['status', '--project', dir.path], { env })
    expect(text.status).toBe(0)
    expect(text.stdout).toContain('run: run-abc running (pid 4242 on elsewhere')
    expect(text.stdout).toContain(
      'features: 1/3 passing (33.3%) · 1 in progress · 0 pending · 0 failing · 1 need a person · 0 skipped',
    )
    expect(text.stdout).toContain('spend: $1.25 total, $1.25 this run')
    expect(text.stdout).toMatch(/agents:\n {2}c2-run {2}coding on #3 {2}claude-sonnet-4-5/)
    expect(text.stdout).toContain('#2  [needs_human]  payments')
    expect(text.stdout).toContain('#3  [in_progress] (held by c2-run)  profile')
    expect(text.stdout).toMatch(
      /web UI: its token is in \S+server-token; autocoder ui --print-url prints the address\n$/,
    )

    const json = runCli(['status', '--project', dir.path, '--json'], { env })
    const status = JSON.parse(json.stdout) as {
      stats: { passing: number }
      agents: unknown[]
      run: { owner: string }
    }
    expect(status.stats.passing).toBe(1)
    expect(status.agents).toHaveLength(1)
    expect(status.run.owner).toBe('run-abc')
  })

  it('answers a waiting question: the feature is pending again with the answer kept', () => {
    using dir = tempDir()
    project(dir.path)
    const env = { AUTOCODER_HOME: join(dir.path, 'home') }
    const answered = runCli(['answer', '--project', dir.path, '2', 'Use Stripe in test mode'], {
      env,
    })
    expect(answered.stdout).toContain(
      'Answered feature #2 to "Which payment provider should be used?"; it is pending again',
    )
    expect(answered.status).toBe(0)
    const again = runCli(['answer', '--project', dir.path, '2', 'again'], { env })
    expect(again.status).not.toBe(0)
    expect(again.stderr).toContain('Feature 2 is pending, not waiting for an answer')
    const store = ProjectStore.open(dir.path)
    if (!store.ok) throw new Error(store.error.message)
    using _ = store.value
    expect(store.value.notes.latest(2, 'answer')?.text).toBe('Use Stripe in test mode')
  })

  it('does not show a crashed run (its process gone) as running', () => {
    using dir = tempDir()
    project(dir.path)
    const store = ProjectStore.open(dir.path)
    if (!store.ok) throw new Error(store.error.message)
    store.value.locks.release('run-abc')
    // A pid far above Linux's default pid_max: no such process.
    store.value.locks.acquire(
      { owner: 'run-dead', pid: 4_999_999, host: hostname() },
      60_000,
      () => true,
    )
    store.value.close()
    const text = runCli(['status', '--project', dir.path], {
      env: { AUTOCODER_HOME: join(dir.path, 'home') },
    })
    expect(text.stdout).toMatch(/^run: none/)
  })
})
