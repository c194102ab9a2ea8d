// The project feed sends only committed events, each once and in id order.
import { describe, expect, it } from 'vitest'

import { err, ok } from '../../../src/core/index.js'
import type { AppEvent } from '../../../src/core/index.js'
import { ProjectFeed } from '../../../src/server/index.js'
import { ProjectStore } from '../../../src/store/index.js'

const log = (text: string) => ({
  type: 'log' as const,
  source: 'test',
  level: 'info' as const,
  text,
})

describe('project feed', () => {
  it('never sends an event whose transaction rolled back, and sends committed ones in order', async () => {
    using store = ProjectStore.memory()
    const feed = new ProjectFeed(store)
    const seen: AppEvent[] = []
    feed.subscribe((event) => seen.push(event))
    store.events.append(log('before'))
    store.atomically(() => {
      store.events.append(log('rolled back'))
      return err('TEST', 'roll back')
    })
    store.atomically(() => {
      store.events.append(log('committed in a transaction'))
      return ok(undefined)
    })
    store.events.append(log('after'))
    await Promise.resolve()
    const texts = seen.map((event) => (event.type === 'log' ? event.text : event.type))
    expect(texts).toEqual(['before', 'committed in a transaction', 'after'])
    expect(seen.map((event) => event.id)).toEqual(store.events.after(0).map((event) => event.id))
    feed.close()
  })
})
