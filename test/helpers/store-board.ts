import type { FeatureState } from '../../src/core/index.js'
import { ProjectStore } from '../../src/store/index.js'
import { FakeClock } from '../fakes/fake-clock.js'

/**
 * An in-memory store with one feature per given state (ids 1..n), the states written directly so
 * a test can start from any of them whatever the lifecycle table allows.
 */
export function storeWithStates(...states: FeatureState[]): {
  store: ProjectStore
  clock: FakeClock
} {
  const clock = new FakeClock()
  const store = ProjectStore.memory(clock)
  store.features.create(
    states.map((_, i) => ({
      category: 'c',
      name: `f${i + 1}`,
      description: '',
      steps: [],
      dependencies: [],
    })),
    { by: 't' },
  )
  for (const [i, state] of states.entries())
    store.db.prepare('UPDATE features SET state = ? WHERE id = ?').run(state, i + 1)
  return { store, clock }
}

/** The error code of a result, undefined when it is ok. */
export const codeOf = (result: { ok: boolean; error?: { code: string } }): string | undefined =>
  result.ok ? undefined : result.error?.code
