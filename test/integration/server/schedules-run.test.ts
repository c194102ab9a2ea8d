// Schedules drive runs: a window already open when it is saved starts a run with the schedule's
// concurrency; when the window closes the run drains (in-flight work finishes, nothing new starts).
// Time is a FakeClock shared by the server, the scheduler, the orchestrator and the simulated agents.
import { join } from 'node:path'

import { afterEach, describe, expect, it } from 'vitest'

import { FakeClock } from '../../fakes/fake-clock.js'
import type { Harness } from './app-harness.js'
import { simParts, startHarness } from './app-harness.js'

const MINUTE = 60_000
let h: Harness | undefined

afterEach(async () => {
  await h?.[Symbol.asyncDispose]()
  h = undefined
})

/** Lets real I/O and promise chains run after fake time moved. */
const settle = (ms = 150): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Moves fake time minute by minute, letting the run react after each step. */
async function pass(clock: FakeClock, minutes: number): Promise<void> {
  for (let i = 0; i < minutes; i++) {
    clock.advance(MINUTE)
    await settle(40)
  }
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return
    await settle(100)
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('schedules drive runs', () => {
  it('starts a run in an open window and drains it when the window closes', async () => {
    // Monday 2026-01-05, 10:00 UTC.
    const clock = new FakeClock(Date.UTC(2026, 0, 5, 10, 0))
    h = await startHarness({
      clock,
      runParts: simParts({ clock, durationMs: 20 * MINUTE }),
      runSettings: {
        leaseMs: 24 * 60 * MINUTE,
        heartbeatMs: 60 * MINUTE,
        lockLeaseMs: 24 * 60 * MINUTE,
      },
    })
    const api = h
    expect(
      (await api.request('POST', '/api/projects', { name: 'app', path: join(api.root, 'app') }))
        .status,
    ).toBe(201)
    await api.request('POST', '/api/projects/app/features/bulk', {
      features: [1, 2, 3].map((i) => ({ category: 'a', name: `feature ${i}` })),
    })
    const created = await api.request('POST', '/api/projects/app/schedules', {
      days: ['mon'],
      start: '09:30',
      durationMinutes: 60,
      timeZone: 'UTC',
      concurrency: 1,
      options: { yolo: true, batchSize: 1 },
    })
    expect(created.status).toBe(201)
    await until(
      async () => (await api.request('GET', '/api/projects/app/run')).json.owner === 'server',
      'the scheduled start',
    )
    const running = (await api.request('GET', '/api/projects/app/run')).json
    expect(running.settings).toMatchObject({ concurrency: 1, batchSize: 1 })

    // 10:21: the first feature is done, the second is being worked on.
    await pass(clock, 21)
    await until(
      async () =>
        (await api.request('GET', '/api/projects/app/features?state=passing')).json.features
          .length === 1,
      'the first pass',
    )
    // 10:31: the window has closed; the run drains.
    await pass(clock, 10)
    await until(
      async () => (await api.request('GET', '/api/projects/app/run')).json.mode === 'draining',
      'the drain',
    )
    // 10:46: the agent in flight finished; nothing new started and the run ended.
    await pass(clock, 15)
    await until(
      async () => (await api.request('GET', '/api/projects/app/run')).json.owner === 'none',
      'the end of the run',
    )
    const done = (await api.request('GET', '/api/projects/app/run')).json
    expect(done.lastRun.reason).toBe('drained')
    const board = (await api.request('GET', '/api/projects/app/features')).json
    expect(board.features.map((feature: { state: string }) => feature.state)).toEqual([
      'passing',
      'passing',
      'pending',
    ])
  })
})
