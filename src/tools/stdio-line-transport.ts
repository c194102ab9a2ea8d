import type { Readable, Writable } from 'node:stream'

import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import { ErrorCode, JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js'
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'

/**
 * The longest line (one JSON-RPC message) `autocoder mcp` reads: room for a bulk create of 1,000
 * features with long descriptions, small enough that a runaway client cannot exhaust memory.
 */
export const MAX_STDIO_LINE_BYTES = 4 * 1024 * 1024

type RequestId = string | number | null

function idOf(value: unknown): RequestId {
  if (typeof value !== 'object' || value === null || !('id' in value)) return null
  const { id } = value
  return typeof id === 'string' || typeof id === 'number' ? id : null
}

/**
 * Newline-delimited JSON-RPC over a pair of streams (stdin/stdout), like the SDK's stdio server
 * transport, except that a bad line never ends the session: a line longer than `maxLineBytes` is
 * dropped and answered with -32600 (Invalid Request), a line that is not JSON with -32700 (Parse
 * error), JSON that is not a JSON-RPC message with -32600; each with the request's id when it can
 * be read, else null. The next line is served as usual. Blank lines are ignored.
 */
export class StdioLineTransport implements Transport {
  onclose?: () => void
  onerror?: (error: Error) => void
  onmessage?: (message: JSONRPCMessage) => void

  #parts: Buffer[] = []
  #size = 0
  /** Inside an oversized line: drop bytes until its newline. */
  #skipping = false
  #closed = false

  constructor(
    private readonly input: Readable = process.stdin,
    private readonly output: Writable = process.stdout,
    private readonly maxLineBytes = MAX_STDIO_LINE_BYTES,
  ) {}

  start(): Promise<void> {
    this.input.on('data', this.#onData)
    this.input.on('error', this.#onError)
    this.input.once('end', this.#onEnd)
    return Promise.resolve()
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.output.write(`${JSON.stringify(message)}\n`)) resolve()
      else this.output.once('drain', resolve)
    })
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve()
    this.#closed = true
    this.input.off('data', this.#onData)
    this.input.off('error', this.#onError)
    this.input.off('end', this.#onEnd)
    this.input.pause()
    this.#parts = []
    this.onclose?.()
    return Promise.resolve()
  }

  readonly #onError = (error: Error): void => this.onerror?.(error)
  readonly #onEnd = (): void => void this.close()

  readonly #onData = (chunk: Buffer | string): void => {
    const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
    let start = 0
    for (;;) {
      const newline = data.indexOf(10, start)
      if (newline === -1) {
        this.#append(data.subarray(start))
        return
      }
      this.#append(data.subarray(start, newline))
      this.#endLine()
      start = newline + 1
    }
  }

  #append(part: Buffer): void {
    if (this.#skipping || part.length === 0) return
    if (this.#size + part.length > this.maxLineBytes) {
      this.#parts = []
      this.#size = 0
      this.#skipping = true
      this.#reject(
        null,
        ErrorCode.InvalidRequest,
        `Invalid Request: a message longer than ${this.maxLineBytes} bytes was dropped; send smaller messages (split a bulk call into several).`,
      )
      return
    }
    this.#parts.push(part)
    this.#size += part.length
  }

  #endLine(): void {
    if (this.#skipping) {
      this.#skipping = false
      return
    }
    const line = Buffer.concat(this.#parts).toString('utf8').replace(/\r$/, '')
    this.#parts = []
    this.#size = 0
    if (line.trim() !== '') this.#handle(line)
  }

  #handle(line: string): void {
    let json: unknown
    try {
      json = JSON.parse(line)
    } catch (error) {
      this.#reject(
        null,
        ErrorCode.ParseError,
        `Parse error: the line is not JSON (${(error as Error).message.slice(0, 200)}); send one JSON-RPC message per line.`,
      )
      return
    }
    const message = JSONRPCMessageSchema.safeParse(json)
    if (!message.success) {
      this.#reject(
        idOf(json),
        ErrorCode.InvalidRequest,
        'Invalid Request: not a JSON-RPC 2.0 message (needs "jsonrpc": "2.0" and a "method", or a result or error with an "id").',
      )
      return
    }
    this.onmessage?.(message.data)
  }

  #reject(id: RequestId, code: number, message: string): void {
    // JSON-RPC answers with id null when the request's id cannot be read (the SDK's type omits it).
    void this.send({ jsonrpc: '2.0', id, error: { code, message } } as unknown as JSONRPCMessage)
  }
}
