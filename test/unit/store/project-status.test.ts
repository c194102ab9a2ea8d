// `autocoder status` reads the database with hand-written row checks instead of the repos' zod
// schemas (zod's import costs more than the read). These tests hold the hand-written check of
// sessions.feature_ids to the schema's answers and show that a corrupt value still names its row.
import { hostname } from 'node:os'

import { describe, expect, it } from 'vitest'
import { z } from 'zod'

import { FeatureId } from '../../../src/core/feature.js'
import { CorruptValueError, ProjectStore, readProjectStatus } from '../../../src/store/index.js'
import { StoredFeatureIdList } from '../../../src/store/project-status.js'
import { FakeClock } from '../../fakes/fake-clock.js'

const LEASE = 60_000

function storeWithRun(clock: FakeClock): ProjectStore {
  const store = ProjectStore.memory(clock)
  const created = store.features.create(
    [
      { category: 'a', name: 'one', description: '', steps: ['x'], dependencies: [] },
      { category: 'a', name: 'two', description: '', steps: ['x'], dependencies: [1] },
    ],
    { by: 'test' },
  )
  if (!created.ok) throw new Error(created.error.message)
  const lock = store.locks.acquire({ owner: 'run-1', pid: 1, host: 'h' }, LEASE, () => true)
  if (!lock.ok) throw new Error(lock.error.message)
  store.events.append({ type: 'run.started', runId: 'run-1', options: {}, sandbox: 'bubblewrap' })
  store.sessions.start({
    id: 's1',
    runId: 'run-1',
    agentId: 'coding-1',
    role: 'coding',
    featureIds: [1],
    model: 'm',
  })
  return store
}

describe('project status read without zod', () => {
  it('accepts exactly the feature id lists that the schema accepts', () => {
    const schema = z.array(FeatureId)
    const values: unknown[] = [
      [],
      [1, 2, 3],
      [0],
      [-1],
      [1.5],
      [2 ** 53],
      ['1'],
      [null],
      [1, 'two'],
      {},
      '1,2',
      null,
      7,
      [Number.NaN],
      [Number.POSITIVE_INFINITY],
    ]
    for (const value of values)
      expect([value, StoredFeatureIdList.safeParse(value).success]).toEqual([
        value,
        schema.safeParse(value).success,
      ])
  })

  it('shows the live run, its sandbox and its open sessions', () => {
    const clock = new FakeClock()
    using store = storeWithRun(clock)
    const status = readProjectStatus(store.db, clock.now())
    expect(status.run).toMatchObject({ owner: 'run-1', alive: true, sandbox: 'bubblewrap' })
    expect(status.agents).toEqual([
      {
        agentId: 'coding-1',
        role: 'coding',
        featureIds: [1],
        model: 'm',
        startedAt: clock.now(),
      },
    ])
    expect(status.features.map((feature) => [feature.id, feature.dependencies])).toEqual([
      [1, []],
      [2, [1]],
    ])
    expect(status.stats).toMatchObject({ total: 2, pending: 2 })
  })

  it("shows no run while the lock's holder on this host has no process (a crashed run)", () => {
    const clock = new FakeClock()
    using store = storeWithRun(clock)
    const setHolder = store.db.prepare('UPDATE orchestrator_lock SET host = ?, pid = ?')
    setHolder.run(hostname(), 2 ** 31 - 1)
    expect(readProjectStatus(store.db, clock.now()).run).toBeNull()
    setHolder.run(hostname(), process.pid)
    expect(readProjectStatus(store.db, clock.now()).run).toMatchObject({ owner: 'run-1' })
  })

  it('names the row of an open session whose feature ids are corrupt', () => {
    const clock = new FakeClock()
    using store = storeWithRun(clock)
    store.db.prepare(`UPDATE sessions SET feature_ids = '["one"]'`).run()
    let error: unknown
    try {
      readProjectStatus(store.db, clock.now())
    } catch (thrown) {
      error = thrown
    }
    expect(error).toBeInstanceOf(CorruptValueError)
    expect((error as Error).message).toMatch(
      /^sessions\.feature_ids of the row with id = 's1' has an unexpected value \(expected a list of feature ids/,
    )
  })
})
