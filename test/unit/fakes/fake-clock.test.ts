import { describe, expect, it } from 'vitest'

import { systemClock } from '../../../src/core/clock.js'
import { FakeClock } from '../../fakes/fake-clock.js'

// The fake must wait and abort the way systemClock does, or code that passes with it can hang
// (or leak listeners) with the real clock, and the other way round.
describe('FakeClock', () => {
  it('rejects a sleep whose signal is already aborted, as the system clock does', async () => {
    const clock = new FakeClock()
    const reason = new Error('stopped')
    await expect(systemClock.sleep(10, AbortSignal.abort(reason))).rejects.toBe(reason)
    await expect(clock.sleep(10, AbortSignal.abort(reason))).rejects.toBe(reason)
    expect(clock.pendingSleeps).toBe(0)
  })

  it('rejects with the abort reason and forgets the sleep when aborted while waiting', async () => {
    const clock = new FakeClock()
    const controller = new AbortController()
    const sleeping = clock.sleep(1000, controller.signal)
    const reason = new Error('stopped')
    controller.abort(reason)
    await expect(sleeping).rejects.toBe(reason)
    expect(clock.pendingSleeps).toBe(0)
  })

  it('jumps to the earliest pending sleep and wakes only the ones due then', async () => {
    const clock = new FakeClock(0)
    const woken: number[] = []
    void clock.sleep(300).then(() => woken.push(300))
    void clock.sleep(100).then(() => woken.push(100))
    expect(clock.advanceToNext()).toBe(true)
    await Promise.resolve()
    expect(clock.now()).toBe(100)
    expect(woken).toEqual([100])
    expect(clock.advanceToNext()).toBe(true)
    await Promise.resolve()
    expect(clock.now()).toBe(300)
    expect(woken).toEqual([100, 300])
    expect(clock.advanceToNext()).toBe(false)
  })
})
