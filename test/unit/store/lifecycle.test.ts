import { describe, expect, it } from 'vitest'

import type { FeatureState } from '../../../src/core/index.js'
import { answerFeature, skipFeature, unskipFeature } from '../../../src/store/index.js'
import type { ProjectStore } from '../../../src/store/index.js'
import { codeOf, storeWithStates } from '../../helpers/store-board.js'

const PERSON = { actor: 'operator', by: 'alice' } as const

const board = (...states: FeatureState[]): ProjectStore => storeWithStates(...states).store

describe('skipFeature', () => {
  it('skips, moves the feature to the end of the queue and keeps the reason', () => {
    using store = board('pending', 'pending', 'pending')
    const skipped = skipFeature(store, 1, PERSON, 'needs a paid API')
    if (!skipped.ok) throw new Error(skipped.error.message)
    expect(skipped.value).toMatchObject({ oldPriority: 1, released: false })
    expect(skipped.value.feature).toMatchObject({ state: 'skipped', priority: 4 })
    expect(store.notes.latest(1, 'note')?.text).toBe('Skipped: needs a paid API')
  })

  it('releases the claim of an agent working on it', () => {
    using store = board('pending')
    store.claims.claim([1], 'c1', 'coding', 1000)
    const skipped = skipFeature(store, 1, PERSON)
    expect(skipped.ok && skipped.value.released).toBe(true)
    expect(store.claims.list()).toEqual([])
    expect(store.features.get(1)?.state).toBe('skipped')
  })

  it('refuses a passing or an already skipped feature and changes nothing', () => {
    using store = board('passing', 'skipped')
    expect(codeOf(skipFeature(store, 1, PERSON))).toBe('ALREADY_PASSING')
    expect(codeOf(skipFeature(store, 2, PERSON))).toBe('ALREADY_SKIPPED')
    expect(store.features.list().map((f) => [f.state, f.priority])).toEqual([
      ['passing', 1],
      ['skipped', 2],
    ])
  })

  it('refuses a move the table forbids for the caller and rolls back the priority', () => {
    using store = board('pending')
    const refused = skipFeature(store, 1, { actor: 'holder', by: 'c1' })
    expect(codeOf(refused)).toBe('TRANSITION_FORBIDDEN')
    expect(store.features.get(1)).toMatchObject({ state: 'pending', priority: 1 })
  })
})

describe('unskipFeature and answerFeature', () => {
  it('puts a skipped feature back to pending, and refuses any other', () => {
    using store = board('skipped', 'pending')
    expect(unskipFeature(store, 1, PERSON).ok && store.features.get(1)?.state).toBe('pending')
    expect(codeOf(unskipFeature(store, 2, PERSON))).toBe('INVALID_STATE')
  })

  it('answers a waiting feature: the answer is kept and the feature is pending again', () => {
    using store = board('needs_human', 'pending')
    expect(answerFeature(store, 1, '  use Stripe ', PERSON).ok).toBe(true)
    expect(store.notes.latest(1, 'answer')?.text).toBe('use Stripe')
    expect(store.features.get(1)?.state).toBe('pending')
    expect(codeOf(answerFeature(store, 2, 'x', PERSON))).toBe('NOT_WAITING')
    expect(codeOf(answerFeature(store, 1, '  ', PERSON))).toBe('EMPTY_ANSWER')
  })
})

describe('FeatureRepo.transition', () => {
  it('refuses a pair the table forbids, with a clear message, and changes nothing', () => {
    using store = board('passing')
    const refused = store.features.transition(1, 'skipped', {
      by: 'alice',
      actor: 'operator',
      reason: 'test',
    })
    expect(refused.ok || refused.error.message).toMatch(
      /^Feature 1 cannot go from passing to skipped by a person \(nobody may\)/,
    )
    expect(store.features.get(1)?.state).toBe('passing')
  })
})
