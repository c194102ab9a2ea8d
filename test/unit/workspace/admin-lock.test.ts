import { describe, expect, it } from 'vitest'

import { withWorktreeAdmin } from '../../../src/workspace/admin-lock.js'

describe('withWorktreeAdmin', () => {
  it('runs tasks of one project one after another, even when one fails', async () => {
    const events: string[] = []
    const task =
      (name: string, fail = false) =>
      async () => {
        events.push(`start ${name}`)
        await Promise.resolve()
        events.push(`end ${name}`)
        if (fail) throw new Error(name)
        return name
      }
    const results = await Promise.allSettled([
      withWorktreeAdmin('/p', task('a')),
      withWorktreeAdmin('/p', task('b', true)),
      withWorktreeAdmin('/p/', task('c')),
    ])
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c'])
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
  })

  it('lets tasks of different projects overlap', async () => {
    const events: string[] = []
    let release = (): void => undefined
    const blocked = withWorktreeAdmin('/one', () =>
      new Promise<void>((resolve) => (release = resolve)).then(() => events.push('one')),
    )
    await withWorktreeAdmin('/two', () => Promise.resolve(events.push('two')))
    release()
    await blocked
    expect(events).toEqual(['two', 'one'])
  })
})
