import { describe, expect, it } from 'vitest'

import { OutputCapture } from '../../../src/workspace/output-capture.js'

describe('OutputCapture', () => {
  it('keeps short output whole', () => {
    const capture = new OutputCapture(8, 8)
    capture.push(Buffer.from('hello '))
    capture.push(Buffer.from('world'))
    expect(capture.text()).toBe('hello world')
  })

  it('keeps the head and the tail of long output and says how much was left out', () => {
    const capture = new OutputCapture(5, 5)
    for (const chunk of ['HEAD-', 'middle-part-', 'more-', '-TAIL'])
      capture.push(Buffer.from(chunk))
    expect(capture.text()).toBe('HEAD-\n… [17 bytes of output omitted] …\n-TAIL')
  })
})
