import { describe, expect, it } from 'vitest'

import { err, ok } from '../../../src/core/index.js'
import { ProjectStore } from '../../../src/store/index.js'
import { FakeClock } from '../../fakes/fake-clock.js'

const draft = (name: string, dependencies: number[] = []) => ({
  category: 'c',
  name,
  description: '',
  steps: [],
  dependencies,
})

describe('store transactions roll back on an error result', () => {
  it('creates no feature when a later item of a batch is invalid', () => {
    const store = ProjectStore.memory(new FakeClock())
    const result = store.features.create([draft('one'), draft('two', [99])], { by: 'test' })
    expect(result.ok).toBe(false)
    expect(store.features.count()).toBe(0)
  })

  it('claims none of the features when one of them cannot be claimed', () => {
    const store = ProjectStore.memory(new FakeClock())
    store.features.create([draft('one'), draft('two')], { by: 'test' })
    store.features.transition(2, 'passing', { by: 'test', actor: 'operator', reason: 'test' })
    expect(store.claims.claim([1, 2], 'agent', 'coding', 1000).ok).toBe(false)
    expect(store.claims.list()).toEqual([])
    expect(store.features.get(1)!.state).toBe('pending')
  })

  it('undoes every write of an atomically block that returns an error', () => {
    const store = ProjectStore.memory(new FakeClock())
    store.features.create([draft('one')], { by: 'test' })
    const result = store.atomically(() => {
      const moved = store.features.transition(1, 'skipped', {
        by: 'test',
        actor: 'operator',
        reason: 'test',
      })
      return moved.ok ? err('NOPE', 'changed my mind') : moved
    })
    expect(result.ok).toBe(false)
    expect(store.features.get(1)!.state).toBe('pending')
    expect(store.atomically(() => ok(1))).toEqual({ ok: true, value: 1 })
  })
})
