import { beforeEach, describe, expect, it } from 'vitest'

import type { Schedule, WindowTimes } from '../../../src/core/api/index.js'
import { err, ok } from '../../../src/core/index.js'
import type { Result } from '../../../src/core/index.js'
import { restartDelayMs, Scheduler } from '../../../src/server/index.js'
import type { ScheduleRunner, ServerError } from '../../../src/server/index.js'
import { FakeClock } from '../../fakes/fake-clock.js'

const MINUTE = 60_000

function schedule(overrides: Partial<Schedule> = {}): Schedule {
  return {
    id: 's1',
    project: 'demo',
    enabled: true,
    days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
    start: '22:00',
    durationMinutes: 120,
    timeZone: 'UTC',
    concurrency: 4,
    options: { model: 'opus' },
    ...overrides,
  }
}

/** Records what the scheduler asked for; `failStarts` makes starts fail. */
class RecordingRunner implements ScheduleRunner {
  calls: string[] = []
  failStarts = false
  start(s: Schedule, window: WindowTimes): Promise<Result<void, ServerError>> {
    this.calls.push(
      `start ${s.project} c=${s.concurrency} until ${new Date(window.end).toISOString()}`,
    )
    return Promise.resolve(this.failStarts ? err('SPAWN_FAILED', 'no') : ok(undefined))
  }
  drain(s: Schedule): Promise<void> {
    this.calls.push(`drain ${s.project}`)
    return Promise.resolve()
  }
}

describe('Scheduler', () => {
  let clock: FakeClock
  let runner: RecordingRunner
  let schedules: Schedule[]
  let scheduler: Scheduler

  beforeEach(() => {
    clock = new FakeClock(Date.parse('2026-06-01T21:00:00Z'))
    runner = new RecordingRunner()
    schedules = [schedule()]
    scheduler = new Scheduler({
      store: { list: () => schedules },
      runner,
      clock,
      backoff: { baseMs: 10_000, maxMs: 40_000, maxRestarts: 4 },
    })
  })

  it('starts a run when its window opens and drains it when the window closes', async () => {
    await scheduler.tick()
    expect(runner.calls).toEqual([])
    clock.advance(60 * MINUTE)
    await scheduler.tick()
    expect(runner.calls).toEqual(['start demo c=4 until 2026-06-02T00:00:00.000Z'])
    clock.advance(119 * MINUTE)
    await scheduler.tick()
    expect(runner.calls).toHaveLength(1)
    clock.advance(MINUTE)
    await scheduler.tick()
    expect(runner.calls).toEqual(['start demo c=4 until 2026-06-02T00:00:00.000Z', 'drain demo'])
  })

  it('honours a window that is already open when the server starts', async () => {
    clock.advance(90 * MINUTE) // 22:30, inside
    await scheduler.tick()
    expect(runner.calls).toEqual(['start demo c=4 until 2026-06-02T00:00:00.000Z'])
  })

  it('ignores disabled schedules', async () => {
    schedules = [schedule({ enabled: false })]
    clock.advance(90 * MINUTE)
    await scheduler.tick()
    expect(runner.calls).toEqual([])
  })

  it('restarts a run that crashed inside its window with doubling, capped delays', async () => {
    clock.advance(61 * MINUTE)
    await scheduler.tick()
    const delays: number[] = []
    for (let crash = 1; crash <= 4; crash++) {
      scheduler.runEnded('demo', 'crashed')
      const due = scheduler.nextWakeAt()! - clock.now()
      delays.push(due)
      clock.advance(due - 1)
      await scheduler.tick()
      expect(runner.calls).toHaveLength(crash) // not yet
      clock.advance(1)
      await scheduler.tick()
      expect(runner.calls).toHaveLength(crash + 1)
    }
    expect(delays).toEqual([10_000, 20_000, 40_000, 40_000])
    scheduler.runEnded('demo', 'crashed') // fifth crash: beyond maxRestarts
    clock.advance(60_000)
    await scheduler.tick()
    expect(runner.calls).toHaveLength(5)
  })

  it('does not restart or drain a run a person took over', async () => {
    clock.advance(61 * MINUTE)
    await scheduler.tick()
    scheduler.handOver('demo')
    scheduler.runEnded('demo', 'crashed')
    clock.advance(120 * MINUTE)
    await scheduler.tick()
    expect(runner.calls).toEqual(['start demo c=4 until 2026-06-02T00:00:00.000Z'])
  })

  it('treats a failed scheduled start like a crash and retries it', async () => {
    runner.failStarts = true
    clock.advance(61 * MINUTE)
    await scheduler.tick()
    runner.failStarts = false
    clock.advance(10_000)
    await scheduler.tick()
    expect(runner.calls).toHaveLength(2)
  })

  it('drains only when the last open window of the project closes', async () => {
    schedules = [schedule(), schedule({ id: 's2', start: '23:00', durationMinutes: 120 })]
    clock.advance(61 * MINUTE)
    await scheduler.tick()
    clock.advance(120 * MINUTE) // 00:01: s1 closed, s2 open until 01:00
    await scheduler.tick()
    expect(runner.calls).toEqual(['start demo c=4 until 2026-06-02T00:00:00.000Z'])
    clock.advance(60 * MINUTE)
    await scheduler.tick()
    expect(runner.calls.at(-1)).toBe('drain demo')
  })

  it('wakes itself when a window opens, using the injected clock', async () => {
    scheduler.start()
    await scheduler.tick()
    expect(clock.pendingSleeps).toBe(1)
    clock.advance(60 * MINUTE)
    await scheduler.tick() // let the loop's own tick run
    await scheduler.stop()
    expect(runner.calls).toEqual(['start demo c=4 until 2026-06-02T00:00:00.000Z'])
  })

  it('computes restart delays as base doubling up to the cap', () => {
    const backoff = { baseMs: 10, maxMs: 50, maxRestarts: 9 }
    expect([1, 2, 3, 4].map((n) => restartDelayMs(n, backoff))).toEqual([10, 20, 40, 50])
  })
})
