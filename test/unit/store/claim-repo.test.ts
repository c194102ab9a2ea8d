import { describe, expect, it } from 'vitest'

import type { FeatureState } from '../../../src/core/index.js'
import type { ProjectStore } from '../../../src/store/index.js'
import { codeOf, storeWithStates } from '../../helpers/store-board.js'

const LEASE = 1000

const board = storeWithStates

const stateOf = (store: ProjectStore, id: number): FeatureState | undefined =>
  store.features.get(id)?.state

describe('claim repo: who may claim what', () => {
  it.each<[FeatureState, boolean]>([
    ['pending', true],
    ['failing', true],
    ['in_progress', true],
    ['passing', false],
    ['needs_human', false],
    ['skipped', false],
  ])('a coding claim on a %s feature succeeds: %s', (state, allowed) => {
    const { store } = board(state)
    const result = store.claims.claim([1], 'coding-1', 'coding', LEASE)
    expect(result.ok).toBe(allowed)
    if (allowed) expect(stateOf(store, 1)).toBe('in_progress')
    else expect([codeOf(result), stateOf(store, 1)]).toEqual(['INVALID_STATE', state])
  })

  it.each<[FeatureState, boolean]>([
    ['passing', true],
    ['pending', false],
    ['failing', false],
    ['skipped', false],
  ])('a testing claim on a %s feature succeeds: %s, and leaves its state', (state, allowed) => {
    const { store } = board(state)
    expect(store.claims.claim([1], 'testing-1', 'testing', LEASE).ok).toBe(allowed)
    expect(stateOf(store, 1)).toBe(state)
  })

  it('refuses a feature another agent holds, and lets the holder renew its lease', () => {
    const { store, clock } = board('pending')
    store.claims.claim([1], 'coding-1', 'coding', LEASE)
    expect(codeOf(store.claims.claim([1], 'coding-2', 'coding', LEASE))).toBe('FEATURE_CLAIMED')
    clock.advance(900)
    const renewed = store.claims.claim([1], 'coding-1', 'coding', LEASE)
    expect(renewed.ok && renewed.value[0]!.leaseUntil).toBe(clock.now() + LEASE)
  })

  it('takes over an expired claim', () => {
    const { store, clock } = board('pending')
    store.claims.claim([1], 'coding-1', 'coding', LEASE)
    clock.advance(LEASE)
    const taken = store.claims.claim([1], 'coding-2', 'coding', LEASE)
    expect(taken.ok && taken.value[0]!.agentId).toBe('coding-2')
    expect(stateOf(store, 1)).toBe('in_progress')
  })

  it('claims none of a batch when one member cannot be claimed', () => {
    const { store } = board('pending', 'passing')
    expect(store.claims.claim([1, 2], 'coding-1', 'coding', LEASE).ok).toBe(false)
    expect(store.claims.list()).toEqual([])
    expect(stateOf(store, 1)).toBe('pending')
  })
})

describe('claim repo: release', () => {
  it('puts the feature back in the state it had before the claim', () => {
    const { store } = board('failing')
    store.claims.claim([1], 'coding-1', 'coding', LEASE)
    expect(store.claims.release(1, 'coding-1', 'done').ok).toBe(true)
    expect(stateOf(store, 1)).toBe('failing')
  })

  it('lets only the holder or the operator (null) release', () => {
    const { store } = board('pending')
    store.claims.claim([1], 'coding-1', 'coding', LEASE)
    expect(codeOf(store.claims.release(1, 'coding-2', 'x'))).toBe('FEATURE_CLAIMED')
    expect(store.claims.release(1, null, 'operator').ok).toBe(true)
    expect(codeOf(store.claims.release(1, null, 'again'))).toBe('NOT_CLAIMED')
  })

  it('does not move a feature that left in_progress while claimed, unless told where to', () => {
    const { store } = board('pending', 'pending')
    store.claims.claim([1, 2], 'coding-1', 'coding', LEASE)
    store.db.prepare("UPDATE features SET state = 'passing' WHERE id = 1").run()
    store.claims.release(1, 'coding-1', 'verified')
    expect(stateOf(store, 1)).toBe('passing')
    store.claims.release(2, 'coding-1', 'asked', 'needs_human')
    expect(stateOf(store, 2)).toBe('needs_human')
  })

  it('releases everything an agent holds, and every expired lease', () => {
    const { store, clock } = board('pending', 'pending', 'passing')
    store.claims.claim([1, 2], 'coding-1', 'coding', LEASE)
    store.claims.claim([3], 'testing-1', 'testing', 5 * LEASE)
    expect(store.claims.releaseAgent('coding-1', 'finished')).toEqual([1, 2])
    expect([stateOf(store, 1), stateOf(store, 2)]).toEqual(['pending', 'pending'])
    store.claims.claim([1], 'coding-2', 'coding', LEASE)
    clock.advance(LEASE)
    expect(store.claims.reclaimExpired().map((c) => c.featureId)).toEqual([1])
    expect(store.claims.list().map((c) => c.featureId)).toEqual([3])
  })

  it('records a reported pass only for the holder, and heartbeats renew all its leases', () => {
    const { store, clock } = board('pending', 'pending')
    store.claims.claim([1, 2], 'coding-1', 'coding', LEASE)
    expect(codeOf(store.claims.report(1, 'coding-2', 'passing'))).toBe('FEATURE_CLAIMED')
    expect(store.claims.report(1, 'coding-1', 'passing').ok).toBe(true)
    expect(store.claims.holder(1)?.reported).toBe('passing')
    clock.advance(500)
    expect(store.claims.heartbeat('coding-1', LEASE)).toBe(2)
    expect(store.claims.heldBy('coding-1').map((c) => c.leaseUntil)).toEqual([
      clock.now() + LEASE,
      clock.now() + LEASE,
    ])
  })
})
