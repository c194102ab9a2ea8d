import { describe, expect, it } from 'vitest'

import { detectUrl } from '../../../src/server/index.js'

describe('detectUrl', () => {
  it.each([
    [
      '  ➜  Local:   \u001b[36mhttp://localhost:\u001b[1m5173\u001b[22m/\u001b[39m',
      'http://localhost:5173/',
    ],
    ['Server running at http://127.0.0.1:3000.', 'http://127.0.0.1:3000'],
    ['listening on http://0.0.0.0:8080/app', 'http://localhost:8080/app'],
    ['Started on http://[::1]:4000', 'http://[::1]:4000'],
    ['Express server listening on port 3001', 'http://localhost:3001'],
  ])('finds the local URL in %j', (line, url) => {
    expect(detectUrl(line)).toBe(url)
  })

  it('ignores remote URLs and lines without a URL', () => {
    expect(detectUrl('see https://example.com/docs for help')).toBeNull()
    expect(detectUrl('compiled 12 modules')).toBeNull()
  })
})
