import { describe, expect, it } from 'vitest'

import { unwrap } from '../../../src/core/index.js'
import { planFeatures, toSchedFeature } from '../../../src/core/scheduling.js'
import { ProjectStore } from '../../../src/store/index.js'
import { boardPlan } from '../../../src/tools/board-plan.js'
import { FakeClock } from '../../fakes/fake-clock.js'
import { tempDir } from '../../helpers/tmp.js'
import { addFeature } from '../../helpers/tool-clients.js'

// The cached board must always equal a plan computed from scratch, whatever changed in between:
// states, claims, expiring leases, dependencies, priorities, deletions, other connections (only
// updatedAt may lag: a same-state transition appends no event, and no tool shows it).
function fromScratch(store: ProjectStore) {
  const now = store.clock.now()
  const live = new Set(
    store.claims
      .list()
      .filter((c) => c.leaseUntil > now)
      .map((c) => c.featureId),
  )
  const plan = planFeatures(
    store.features
      .list()
      .map((f) =>
        live.has(f.id) || f.state !== 'in_progress'
          ? toSchedFeature(f, live.has(f.id))
          : toSchedFeature({ ...f, state: 'pending' }),
      ),
  )
  return { ready: plan.ready, blocked: plan.blocked, features: store.features.list() }
}

function randomOps(
  store: ProjectStore,
  other: ProjectStore,
  clock: FakeClock,
  seed: number,
  steps: number,
): void {
  let state = seed
  const random = (n: number): number => (state = (state * 1103515245 + 12345) >>> 0) % n
  for (let i = 0; i < 30; i++) addFeature(store, { deps: i > 3 ? [1 + random(i)] : [] })
  for (let step = 0; step < steps; step++) {
    const ids = store.features.list().map((f) => f.id)
    const id = ids[random(ids.length)]!
    const op = random(9)
    if (op === 0)
      store.features.transition(id, 'passing', { by: 't', actor: 'operator', reason: 't' })
    if (op === 1) store.claims.claim([id], `agent-${random(3)}`, 'coding', 1000 + random(3000))
    if (op === 2) store.claims.release(id, null, 't')
    if (op === 3) store.features.addDependency(id, ids[random(ids.length)]!, 't')
    if (op === 4) store.features.update(id, { priority: random(50) }, 't')
    if (op === 5 && random(4) === 0) store.features.delete(id, 't')
    if (op === 6)
      other.features.transition(id, 'failing', { by: 'other', actor: 'operator', reason: 't' })
    if (op === 7) clock.advance(random(2000))
    if (op === 8) addFeature(store, { deps: [id] })
    const cached = boardPlan(store)
    const expected = fromScratch(store)
    expect(cached.ready).toEqual(expected.ready)
    expect(cached.blocked).toEqual(expected.blocked)
    const strip = (list: typeof expected.features) => list.map(({ updatedAt: _u, ...rest }) => rest)
    expect(strip(cached.features)).toEqual(strip(expected.features))
  }
}

describe('cached board plan', () => {
  it('always equals a plan computed from scratch', () => {
    using dir = tempDir()
    const clock = new FakeClock()
    const store = unwrap(ProjectStore.open(dir.path, { clock }))
    const other = unwrap(ProjectStore.open(dir.path, { clock }))
    try {
      randomOps(store, other, clock, 11, 400)
    } finally {
      other.close()
      store.close()
    }
  })
})
