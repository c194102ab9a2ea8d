import { describe, expect, it } from 'vitest'

import { ChatRepo, ProjectStore } from '../../../src/store/index.js'
import { FakeClock } from '../../fakes/fake-clock.js'

describe('ChatRepo', () => {
  it('titles a conversation by its first user message and lists the latest first', () => {
    const clock = new FakeClock()
    using store = ProjectStore.memory(clock)
    const chats = new ChatRepo(store.db, clock)
    const first = chats.create('assistant')
    chats.add(first.id, 'assistant', 'Hello!')
    chats.add(first.id, 'user', 'x'.repeat(80))
    clock.advance(1000)
    const second = chats.create('assistant')
    chats.add(second.id, 'user', 'Short question')
    chats.create('spec')

    expect(chats.list('assistant').map((c) => [c.id, c.title, c.messageCount])).toEqual([
      [second.id, 'Short question', 1],
      [first.id, `${'x'.repeat(50)}…`, 2],
    ])
    expect(chats.get('assistant', first.id)?.messages.map((m) => m.role)).toEqual([
      'assistant',
      'user',
    ])
    expect(chats.get('spec', first.id)).toBeUndefined()
  })

  it('deletes a conversation with its messages, only of its own kind', () => {
    using store = ProjectStore.memory()
    const chats = new ChatRepo(store.db, new FakeClock())
    const conversation = chats.create('expand')
    chats.add(conversation.id, 'user', 'Add tags')
    expect(chats.delete('assistant', conversation.id)).toBe(false)
    expect(chats.delete('expand', conversation.id)).toBe(true)
    expect(chats.delete('expand', conversation.id)).toBe(false)
    expect(chats.messages(conversation.id)).toEqual([])
  })
})
