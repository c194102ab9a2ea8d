import { describe, expect, it } from 'vitest'

import { CorruptValueError, ProjectStore } from '../../../src/store/index.js'
import { FakeClock } from '../../fakes/fake-clock.js'

function storeWithFeature(): ProjectStore {
  const store = ProjectStore.memory(new FakeClock())
  const created = store.features.create(
    [{ category: 'a', name: 'one', description: '', steps: ['x'], dependencies: [] }],
    { by: 'test' },
  )
  if (!created.ok) throw new Error(created.error.message)
  return store
}

function thrown(fn: () => unknown): CorruptValueError {
  try {
    fn()
  } catch (error) {
    if (error instanceof CorruptValueError) return error
    throw error
  }
  throw new Error('expected a CorruptValueError')
}

describe('JSON columns are parsed, and a corrupt value names its row and column', () => {
  it('features.steps that is not JSON', () => {
    using store = storeWithFeature()
    store.db.prepare("UPDATE features SET steps = 'open the page' WHERE id = 1").run()
    const error = thrown(() => store.features.list())
    expect(error.code).toBe('CORRUPT_VALUE')
    expect(error.message).toMatch(
      /^features\.steps of the row with id = 1 is not JSON: "open the page"; repair or delete/,
    )
  })

  it('features.steps of the wrong shape', () => {
    using store = storeWithFeature()
    store.db.prepare(`UPDATE features SET steps = '[1, 2]' WHERE id = 1`).run()
    expect(thrown(() => store.features.get(1)).message).toMatch(
      /^features\.steps of the row with id = 1 has an unexpected value at 0 \(.*string.*\): "\[1, 2\]"/,
    )
  })

  it('notes.data that is not an object', () => {
    using store = storeWithFeature()
    store.notes.add(1, 'tester', 'note', 'hello', { a: 1 })
    store.db.prepare(`UPDATE notes SET data = '[1]'`).run()
    expect(thrown(() => store.notes.list(1)).message).toMatch(
      /^notes\.data of the row with id = 1 has an unexpected value/,
    )
  })

  it('sessions.feature_ids that are not ids', () => {
    using store = storeWithFeature()
    store.sessions.start({
      id: 's1',
      runId: null,
      agentId: 'a',
      role: 'coding',
      featureIds: [1],
      model: 'm',
    })
    store.db.prepare(`UPDATE sessions SET feature_ids = '["one"]'`).run()
    expect(thrown(() => store.sessions.get('s1')).message).toMatch(
      /^sessions\.feature_ids of the row with id = 's1'/,
    )
  })

  it('a setting that is not JSON, naming its key', () => {
    using store = storeWithFeature()
    store.settings.set('yolo', true)
    store.db.prepare(`UPDATE settings SET value = 'yes please' WHERE key = 'yolo'`).run()
    expect(thrown(() => store.settings.all()).message).toMatch(
      /^settings\.value of the row with key = "yolo" is not JSON/,
    )
    expect(() => store.settings.get('other')).not.toThrow()
  })

  it('an event body that is not an event', () => {
    using store = storeWithFeature()
    store.db.prepare(`INSERT INTO events (at, type, body) VALUES (1, 'x', '{"no":"type"}')`).run()
    const id = store.events.lastId()
    expect(thrown(() => store.events.after(0)).message).toMatch(
      new RegExp(`^events\\.body of the row with id = ${id} has an unexpected value at type`),
    )
  })

  it('reads the values it wrote unchanged', () => {
    using store = storeWithFeature()
    store.settings.set('models', { coding: 'a', testing: null })
    store.notes.add(1, 'tester', 'evidence', 'merged', { commit: 'abc', files: ['a.ts'] })
    expect(store.settings.get('models')).toEqual({ coding: 'a', testing: null })
    expect(store.notes.latest(1, 'evidence')?.data).toEqual({ commit: 'abc', files: ['a.ts'] })
    expect(store.features.get(1)?.steps).toEqual(['x'])
  })
})
