import { describe, expect, it } from 'vitest'

import { redactPaths, statusForCode } from '../../../src/server/index.js'

describe('error mapping', () => {
  it('shortens absolute paths so error messages do not reveal the machine layout', () => {
    expect(
      redactPaths('cannot open /home/me/projects/app/.autocoder/autocoder.db', '/home/me'),
    ).toBe('cannot open ~/projects/app/.autocoder/autocoder.db')
    expect(redactPaths('missing /srv/data/x.json; retry', '/home/me')).toBe(
      'missing .../x.json; retry',
    )
    expect(redactPaths('use a/b or 3/4', '/home/me')).toBe('use a/b or 3/4')
  })

  it('maps result codes to HTTP statuses in one table, unknown codes to 400', () => {
    expect([
      statusForCode('NOT_FOUND'),
      statusForCode('POLICY_DENIED'),
      statusForCode('ALREADY_RUNNING'),
    ]).toEqual([404, 403, 409])
    expect(statusForCode('SOMETHING_NEW')).toBe(400)
  })
})
