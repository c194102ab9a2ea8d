import { describe, expect, it } from 'vitest'

import type { AppEvent } from '../../../src/core/index.js'
import { ProjectStore } from '../../../src/store/index.js'
import { FakeClock } from '../../fakes/fake-clock.js'

describe('event log subscribers', () => {
  it('reports a throwing subscriber once per failure, with the event type, and still appends', () => {
    const reports: string[] = []
    const store = ProjectStore.memory(new FakeClock(), (line) => reports.push(line))
    const seen: AppEvent[] = []
    store.events.subscribe((event) => {
      if (event.type === 'run.paused') throw new Error('subscriber broke')
    })
    store.events.subscribe((event) => seen.push(event))

    const first = store.events.append({ type: 'run.paused', runId: 'r1' })
    store.events.append({ type: 'run.resumed', runId: 'r1' })
    const third = store.events.append({ type: 'run.paused', runId: 'r1' })

    expect(store.events.after(0).map((event) => event.id)).toEqual([
      first.id,
      first.id + 1,
      third.id,
    ])
    expect(seen.map((event) => event.type)).toEqual(['run.paused', 'run.resumed', 'run.paused'])
    expect(reports).toHaveLength(2)
    expect(reports[0]).toContain(`run.paused (event ${first.id})`)
    expect(reports[0]).toContain('subscriber broke')
    expect(reports[1]).toContain(`run.paused (event ${third.id})`)
  })

  it('reports a thrown non-Error value too', () => {
    const reports: string[] = []
    const store = ProjectStore.memory(new FakeClock(), (line) => reports.push(line))
    store.events.subscribe(() => {
      throw 'plain string' // eslint-disable-line @typescript-eslint/only-throw-error
    })
    store.events.append({ type: 'run.resumed', runId: 'r1' })
    expect(reports).toEqual([expect.stringContaining('run.resumed (event 1): plain string')])
  })
})
