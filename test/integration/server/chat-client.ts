// A chat WebSocket client for the chat tests: collects frames and waits for conditions.
import WebSocket from 'ws'

import type { ChatServerFrame } from '../../../src/core/api/index.js'

export class ChatClient {
  frames: ChatServerFrame[] = []
  closeCode: number | null = null
  readonly #waiters: Array<() => void> = []

  constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      this.frames.push(JSON.parse((raw as Buffer).toString('utf8')) as ChatServerFrame)
      this.#notify()
    })
    socket.on('close', (code) => {
      this.closeCode = code
      this.#notify()
    })
  }

  /** `headers` must authorise the socket (`authHeaders(server)`). */
  static open(url: string, headers: Record<string, string>): Promise<ChatClient> {
    const socket = new WebSocket(url, { headers })
    const client = new ChatClient(socket)
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client))
      socket.once('error', reject)
    })
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame))
  }

  of<T extends ChatServerFrame['type']>(type: T): Array<Extract<ChatServerFrame, { type: T }>> {
    return this.frames.filter(
      (frame): frame is Extract<ChatServerFrame, { type: T }> => frame.type === type,
    )
  }

  /** All `text` content since frame `from`. */
  text(from = 0): string {
    return this.frames
      .slice(from)
      .flatMap((frame) => (frame.type === 'text' ? [frame.content] : []))
      .join('')
  }

  /** Resolves once `predicate` holds, checked after every frame (and on close). */
  until(predicate: (client: ChatClient) => boolean, timeoutMs = 45_000): Promise<void> {
    if (predicate(this)) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out; frames: ${JSON.stringify(this.frames).slice(-2000)}`)),
        timeoutMs,
      )
      const check = (): void => {
        if (predicate(this)) {
          clearTimeout(timer)
          resolve()
        } else this.#waiters.push(check)
      }
      this.#waiters.push(check)
    })
  }

  /** Sends a frame and waits for the `response_done` that ends its turn. */
  async turn(frame: unknown): Promise<number> {
    const from = this.frames.length
    const done = this.of('response_done').length
    this.send(frame)
    await this.until((client) => client.of('response_done').length > done)
    return from
  }

  close(): void {
    this.socket.close()
  }

  #notify(): void {
    for (const waiter of this.#waiters.splice(0)) waiter()
  }
}
