import { describe, expect, it } from 'vitest'

import type { AppEvent } from '../../../src/core/index.js'
import { ProjectStore } from '../../../src/store/index.js'
import type { FeatureDraft } from '../../../src/store/index.js'
import { FakeClock } from '../../fakes/fake-clock.js'

const draft = (name: string, extra: Partial<FeatureDraft> = {}): FeatureDraft => ({
  category: 'c',
  name,
  description: '',
  steps: [],
  dependencies: [],
  ...extra,
})

function fresh(): { store: ProjectStore; clock: FakeClock; events: AppEvent[] } {
  const clock = new FakeClock()
  const store = ProjectStore.memory(clock)
  const events: AppEvent[] = []
  store.events.subscribe((event) => events.push(event))
  return { store, clock, events }
}

function codeOf(result: { ok: boolean; error?: { code: string } }): string | undefined {
  return result.ok ? undefined : result.error?.code
}

describe('feature repo: create', () => {
  it('continues priorities after the current maximum, in list order, unless one is given', () => {
    const { store } = fresh()
    store.features.create([draft('a', { priority: 10 })], { by: 't' })
    const created = store.features.create([draft('b'), draft('c', { priority: 3 }), draft('d')], {
      by: 't',
    })
    if (!created.ok) throw new Error(created.error.message)
    expect(created.value.map((f) => [f.name, f.priority])).toEqual([
      ['b', 11],
      ['c', 3],
      ['d', 12],
    ])
    expect(store.features.list().map((f) => f.name)).toEqual(['c', 'a', 'b', 'd'])
  })

  it('refuses a forward or out-of-range dependency index and creates nothing', () => {
    const { store, events } = fresh()
    const result = store.features.create([draft('a', { dependsOnIndices: [0] })], {
      by: 't',
    })
    expect(codeOf(result)).toBe('INVALID_DEPENDENCY_INDEX')
    expect(store.features.count()).toBe(0)
    expect(events).toEqual([])
  })

  it('refuses a dependency on an unknown id unless importing', () => {
    const { store } = fresh()
    expect(store.features.create([draft('a', { dependencies: [42] })], { by: 't' }).ok).toBe(false)
    const imported = store.features.create([draft('a', { dependencies: [42] })], {
      by: 'import',
      allowMissingDependencies: true,
    })
    expect(imported.ok && imported.value[0]!.dependencies).toEqual([42])
  })

  it('keeps given ids and refuses one that exists', () => {
    const { store } = fresh()
    const first = store.features.create([draft('a'), draft('b')], { by: 't', ids: [7, 3] })
    expect(first.ok && first.value.map((f) => f.id)).toEqual([7, 3])
    expect(codeOf(store.features.create([draft('c')], { by: 't', ids: [3] }))).toBe(
      'DUPLICATE_FEATURE_ID',
    )
  })

  it('says what it created in one event', () => {
    const { store, events } = fresh()
    store.features.create([draft('a'), draft('b')], { by: 'initializer' })
    expect(events.map((e) => e.type)).toEqual(['feature.created'])
    expect(events[0]).toMatchObject({ featureIds: [1, 2], by: 'initializer' })
  })
})

describe('feature repo: dependencies', () => {
  function chain(): ProjectStore {
    const { store } = fresh()
    store.features.create([draft('a'), draft('b'), draft('c')], { by: 't' })
    store.features.setDependencies(2, [1], 't')
    store.features.setDependencies(3, [2], 't')
    return store
  }

  it('refuses a dependency that closes a cycle, naming the cycle', () => {
    const store = chain()
    const result = store.features.addDependency(1, 3, 't')
    expect(codeOf(result)).toBe('DEPENDENCY_CYCLE')
    if (!result.ok) expect(result.error.message).toContain('1 -> 3 -> 2 -> 1')
    expect(store.features.get(1)!.dependencies).toEqual([])
  })

  it('refuses adding a dependency twice and removing one that is not there', () => {
    const store = chain()
    expect(codeOf(store.features.addDependency(2, 1, 't'))).toBe('DUPLICATE_DEPENDENCY')
    expect(codeOf(store.features.removeDependency(2, 3, 't'))).toBe('DEPENDENCY_NOT_FOUND')
    expect(codeOf(store.features.addDependency(99, 1, 't'))).toBe('FEATURE_NOT_FOUND')
  })

  it('deleting a feature removes it from every dependency list and says which changed', () => {
    const store = chain()
    const deleted = store.features.delete(2, 't')
    expect(deleted.ok && deleted.value.affected).toEqual([3])
    expect(store.features.get(3)!.dependencies).toEqual([])
    expect(store.features.get(2)).toBeUndefined()
  })
})

describe('feature repo: update', () => {
  it('changes only the given fields and stamps the time', () => {
    const { store, clock, events } = fresh()
    store.features.create([draft('a', { description: 'keep', steps: ['s'] })], { by: 't' })
    clock.advance(5000)
    const updated = store.features.update(1, { name: 'renamed', priority: 4 }, 'operator')
    if (!updated.ok) throw new Error(updated.error.message)
    expect(updated.value).toMatchObject({
      name: 'renamed',
      priority: 4,
      description: 'keep',
      steps: ['s'],
      updatedAt: updated.value.createdAt + 5000,
    })
    expect(events.at(-1)).toMatchObject({ type: 'feature.updated', fields: ['name', 'priority'] })
  })
})
