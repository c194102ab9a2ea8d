// Every change of a feature's state reaches watchers in an event: claims and releases carry the
// state they leave the feature in, state changes carry the attempts count.
import { describe, expect, it } from 'vitest'

import type { AppEvent } from '../../../src/core/index.js'
import { ProjectStore } from '../../../src/store/index.js'
import { FakeClock } from '../../fakes/fake-clock.js'

function storeWithFeature(): { store: ProjectStore; events: AppEvent[]; id: number } {
  const store = ProjectStore.memory(new FakeClock())
  const created = store.features.create(
    [{ category: 'a', name: 'one', description: '', steps: [], dependencies: [] }],
    { by: 'test' },
  )
  if (!created.ok) throw new Error(created.error.message)
  const events: AppEvent[] = []
  store.events.subscribe((event) => events.push(event))
  return { store, events, id: created.value[0]!.id }
}

describe('feature state in events', () => {
  it('says a coding claim moved the feature to in_progress and a release moved it back', () => {
    const { store, events, id } = storeWithFeature()
    expect(store.claims.claim([id], 'c1', 'coding', 1000).ok).toBe(true)
    expect(store.claims.release(id, 'c1', 'gave up').ok).toBe(true)
    expect(events.map((event) => [event.type, 'state' in event ? event.state : null])).toEqual([
      ['feature.claimed', 'in_progress'],
      ['feature.released', 'pending'],
    ])
  })

  it('gives a failing feature its state back when the claim ends without a pass', () => {
    const { store, events, id } = storeWithFeature()
    store.features.transition(id, 'failing', {
      by: 'test',
      actor: 'operator',
      reason: 'regression',
      extra: 'attempt',
    })
    store.claims.claim([id], 'c1', 'coding', 1000)
    store.claims.releaseAgent('c1', 'session ended')
    expect(events.find((event) => event.type === 'feature.state')).toMatchObject({
      to: 'failing',
      attempts: 1,
    })
    expect(events.at(-1)).toMatchObject({ type: 'feature.released', state: 'failing' })
    expect(store.features.get(id)?.state).toBe('failing')
  })

  it('leaves a passing feature passing when its testing claim ends', () => {
    const { store, events, id } = storeWithFeature()
    store.features.transition(id, 'passing', { by: 'test', actor: 'operator', reason: 'verified' })
    store.claims.claim([id], 't1', 'testing', 1000)
    store.claims.release(id, 't1', 'checked')
    expect(events.slice(-2).map((event) => ('state' in event ? event.state : null))).toEqual([
      'passing',
      'passing',
    ])
  })
})
