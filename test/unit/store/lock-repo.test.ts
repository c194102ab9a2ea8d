import { describe, expect, it } from 'vitest'

import { ProjectStore } from '../../../src/store/index.js'
import { FakeClock } from '../../fakes/fake-clock.js'

const LEASE = 1000
const alive = (): boolean => true
const a = { owner: 'run-a', pid: 10, host: 'h' }
const b = { owner: 'run-b', pid: 11, host: 'h' }

function fresh(): { store: ProjectStore; clock: FakeClock } {
  const clock = new FakeClock()
  return { store: ProjectStore.memory(clock), clock }
}

describe('lock repo: one orchestrator per project', () => {
  it('refuses a second owner while the lease runs and the holder lives, naming the holder', () => {
    const { store } = fresh()
    expect(store.locks.acquire(a, LEASE, alive).ok).toBe(true)
    const refused = store.locks.acquire(b, LEASE, alive)
    expect(refused.ok || refused.error.code).toBe('PROJECT_LOCKED')
    expect(refused.ok || refused.error.message).toContain('run-a, pid 10 on h')
    expect(store.locks.current()?.owner).toBe('run-a')
  })

  it('lets another owner take an expired lock or one whose holder died', () => {
    const { store, clock } = fresh()
    store.locks.acquire(a, LEASE, alive)
    expect(store.locks.acquire(b, LEASE, () => false).ok).toBe(true)
    clock.advance(LEASE)
    expect(store.locks.acquire(a, LEASE, alive).ok).toBe(true)
    expect(store.locks.current()).toMatchObject({ owner: 'run-a', leaseUntil: clock.now() + LEASE })
  })

  it('renews and releases only for the owner', () => {
    const { store, clock } = fresh()
    store.locks.acquire(a, LEASE, alive)
    clock.advance(500)
    expect(store.locks.renew('run-b', LEASE)).toBe(false)
    expect(store.locks.renew('run-a', LEASE)).toBe(true)
    expect(store.locks.current()?.leaseUntil).toBe(clock.now() + LEASE)
    store.locks.release('run-b')
    expect(store.locks.current()?.owner).toBe('run-a')
    store.locks.release('run-a')
    expect(store.locks.current()).toBeUndefined()
  })
})
