// The stdio transport of `autocoder mcp`: lines split across chunks, lines over the limit and
// malformed lines; a bad line is answered and the next one is served.
import { PassThrough } from 'node:stream'

import { describe, expect, it } from 'vitest'

import { StdioLineTransport } from '../../../src/tools/stdio-line-transport.js'

function harness(maxLineBytes: number) {
  const input = new PassThrough()
  const output = new PassThrough()
  const transport = new StdioLineTransport(input, output, maxLineBytes)
  const received: unknown[] = []
  let written = ''
  output.on('data', (chunk: Buffer) => (written += chunk.toString()))
  transport.onmessage = (message) => received.push(message)
  const replies = () =>
    written
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { id: unknown; error: { code: number; message: string } })
  return { input, transport, received, replies }
}

const ping = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' })
const flush = () => new Promise((resolve) => setImmediate(resolve))

describe('StdioLineTransport', () => {
  it('joins a message split across chunks and ignores blank lines', async () => {
    const h = harness(1024)
    await h.transport.start()
    const line = ping(1)
    h.input.write(line.slice(0, 10))
    h.input.write(`${line.slice(10)}\r\n\n  \n${ping(2)}\n`)
    await flush()
    expect(h.received).toEqual([
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { jsonrpc: '2.0', id: 2, method: 'ping' },
    ])
    expect(h.replies()).toEqual([])
  })

  it('drops a line over the limit, even spread over chunks, answers -32600 once and serves the next line', async () => {
    const h = harness(64)
    await h.transport.start()
    h.input.write('{"jsonrpc":"2.0","id":5,"method":"ping","params":{"x":"')
    h.input.write('y'.repeat(100))
    h.input.write('y'.repeat(100))
    h.input.write(`"}}\n${ping(6)}\n`)
    await flush()
    expect(h.replies()).toEqual([
      {
        jsonrpc: '2.0',
        id: null,
        error: { code: -32600, message: expect.stringContaining('longer than 64 bytes') },
      },
    ])
    expect(h.received).toEqual([{ jsonrpc: '2.0', id: 6, method: 'ping' }])
  })

  it('accepts a line of exactly the limit', async () => {
    const line = ping(7)
    const h = harness(Buffer.byteLength(line))
    await h.transport.start()
    h.input.write(`${line}\n`)
    await flush()
    expect(h.received).toHaveLength(1)
  })

  it('answers malformed lines with -32700 or -32600, with the id when it can be read', async () => {
    const h = harness(1024)
    await h.transport.start()
    h.input.write('{"jsonrpc":\n')
    h.input.write('{"jsonrpc":"2.0","id":"a","method":[]}\n')
    h.input.write('{"jsonrpc":"1.0","id":3,"method":"ping"}\n')
    h.input.write('42\n')
    await flush()
    expect(h.replies().map((reply) => [reply.id, reply.error.code])).toEqual([
      [null, -32700],
      ['a', -32600],
      [3, -32600],
      [null, -32600],
    ])
    expect(h.received).toEqual([])
  })

  it('closes once when its input ends', async () => {
    const h = harness(1024)
    let closes = 0
    h.transport.onclose = () => closes++
    await h.transport.start()
    h.input.end()
    await flush()
    await h.transport.close()
    expect(closes).toBe(1)
  })
})
