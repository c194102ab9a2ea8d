import { describe, expect, it } from 'vitest'

import { ProjectStore } from '../../../src/store/index.js'
import { FakeClock } from '../../fakes/fake-clock.js'

describe('project store', () => {
  it('creates features with batch-relative dependencies and claims one atomically', () => {
    const clock = new FakeClock()
    const store = ProjectStore.memory(clock)
    const created = store.features.create(
      [
        { category: 'a', name: 'one', description: '', steps: [], dependencies: [] },
        {
          category: 'a',
          name: 'two',
          description: '',
          steps: [],
          dependencies: [],
          dependsOnIndices: [0],
        },
      ],
      { by: 'test' },
    )
    expect(created.ok).toBe(true)
    const [one, two] = store.features.list()
    expect(two!.dependencies).toEqual([one!.id])
    expect(store.claims.claim([one!.id], 'coding-1', 'coding', 1000).ok).toBe(true)
    const second = store.claims.claim([one!.id], 'coding-2', 'coding', 1000)
    expect(second.ok).toBe(false)
    clock.advance(1001)
    expect(store.claims.reclaimExpired().map((c) => c.featureId)).toEqual([one!.id])
    expect(store.features.get(one!.id)!.state).toBe('pending')
  })
})
