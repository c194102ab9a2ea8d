import { ProjectServerFrame } from '@core/api/index.js'
import { EventBody } from '@core/events.js'
import { z } from 'zod'

import type { ConnectionState } from './live-state.js'

export interface SocketStatus {
  state: ConnectionState
  /** Failed attempts since the last open connection. */
  attempts: number
  /** When the next attempt starts (ms since epoch), while reconnecting. */
  retryAt: number | null
  /** Why the socket stopped for good, or the last failure. */
  error: { code: string; message: string } | null
}

export interface ProjectSocketOptions {
  project: string
  /** Frames since the last call, in order, at most once per animation frame and `flushEveryMs`. */
  onFrames: (frames: ProjectServerFrame[]) => void
  onStatus: (status: SocketStatus) => void
  /** The last event id applied, for `?after=` on reconnect (null before the first snapshot). */
  lastEventId: () => number | null
  /** Backoff base and cap (tests shorten them). */
  baseDelayMs?: number
  maxDelayMs?: number
  pingEveryMs?: number
  /**
   * Batches frames per animation frame in the browser, and at most once per `flushEveryMs`
   * (default 100: a hundred events a second make ten renders, not sixty); tests may flush at once.
   */
  schedule?: (flush: () => void) => void
  flushEveryMs?: number
}

const EventMeta = z.object({ id: z.number().int().positive(), at: z.number() })

/**
 * Parses a frame with the API's schemas. Event frames (nearly all of them) are checked as their
 * parts, the event body and its id and time, which is the same check and several times faster
 * than the intersection schema on a stream of a hundred events a second.
 */
export function parseFrame(json: unknown): ProjectServerFrame | null {
  const frame = json as { type?: unknown; event?: unknown } | null
  if (frame?.type === 'event') {
    const meta = EventMeta.safeParse(frame.event)
    const body = EventBody.safeParse(frame.event)
    return meta.success && body.success
      ? { type: 'event', event: { ...body.data, ...meta.data } }
      : null
  }
  const parsed = ProjectServerFrame.safeParse(json)
  return parsed.success ? parsed.data : null
}

/** Delay before reconnect attempt `attempt` (0-based): 1 s doubling up to 30 s, with jitter. */
export function backoffDelay(attempt: number, baseMs = 1000, maxMs = 30_000): number {
  const delay = Math.min(baseMs * 2 ** attempt, maxMs)
  return Math.round(delay * (0.8 + Math.random() * 0.4))
}

/** Close codes after which reconnecting cannot help. */
const FINAL_CODES = new Map([
  [4000, 'INVALID_INPUT'],
  [4004, 'PROJECT_NOT_FOUND'],
])

/**
 * The project socket: connects, reconnects with backoff after a drop, resumes with
 * `?after=<last event id>` so nothing is missed and nothing reloads, and pings to keep the
 * connection honest. `close()` is final: no reconnect (a project switch leaves no ghost socket).
 */
export class ProjectSocket {
  #socket: WebSocket | null = null
  #closed = false
  #attempts = 0
  #retryTimer: ReturnType<typeof setTimeout> | null = null
  #pingTimer: ReturnType<typeof setInterval> | null = null
  #pending: ProjectServerFrame[] = []
  #flushScheduled = false
  #lastFlushAt = -Infinity
  #status: SocketStatus = { state: 'connecting', attempts: 0, retryAt: null, error: null }

  constructor(private readonly options: ProjectSocketOptions) {
    this.#connect()
  }

  get status(): SocketStatus {
    return this.#status
  }

  /** Reconnects now (a person pressed "Reconnect"). */
  retry(): void {
    if (this.#closed || this.#socket) return
    if (this.#retryTimer) clearTimeout(this.#retryTimer)
    this.#retryTimer = null
    this.#connect()
  }

  close(): void {
    this.#closed = true
    if (this.#retryTimer) clearTimeout(this.#retryTimer)
    if (this.#pingTimer) clearInterval(this.#pingTimer)
    const socket = this.#socket
    this.#socket = null
    socket?.close(1000, 'closed by the UI')
  }

  #setStatus(change: Partial<SocketStatus>): void {
    this.#status = { ...this.#status, ...change }
    this.options.onStatus(this.#status)
  }

  #url(): string {
    const base = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`
    const path = `/api/projects/${encodeURIComponent(this.options.project)}/ws`
    const after = this.options.lastEventId()
    return after === null ? `${base}${path}` : `${base}${path}?after=${after}`
  }

  #connect(): void {
    const socket = new WebSocket(this.#url())
    this.#socket = socket
    socket.onopen = () => {
      if (this.#socket !== socket) return
      this.#attempts = 0
      this.#setStatus({ state: 'live', attempts: 0, retryAt: null, error: null })
      this.#pingTimer = setInterval(
        () => socket.readyState === WebSocket.OPEN && socket.send('{"type":"ping"}'),
        this.options.pingEveryMs ?? 25_000,
      )
    }
    socket.onmessage = (message: MessageEvent<unknown>) => {
      if (this.#socket !== socket || typeof message.data !== 'string') return
      const frame = parseFrame(JSON.parse(message.data))
      if (frame === null) return
      if (frame.type === 'error')
        this.#setStatus({ error: { code: frame.code, message: frame.message } })
      this.#enqueue(frame)
    }
    socket.onclose = (event) => {
      if (this.#socket !== socket) return
      this.#socket = null
      if (this.#pingTimer) clearInterval(this.#pingTimer)
      this.#pingTimer = null
      this.#flush()
      if (this.#closed) return
      const final = FINAL_CODES.get(event.code)
      if (final) {
        this.#setStatus({
          state: 'offline',
          retryAt: null,
          error: this.#status.error ?? {
            code: final,
            message: event.reason || 'The server closed the connection.',
          },
        })
        return
      }
      const delay = backoffDelay(this.#attempts, this.options.baseDelayMs, this.options.maxDelayMs)
      this.#attempts++
      this.#setStatus({
        state: 'reconnecting',
        attempts: this.#attempts,
        retryAt: Date.now() + delay,
      })
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = null
        if (!this.#closed) this.#connect()
      }, delay)
    }
  }

  #enqueue(frame: ProjectServerFrame): void {
    this.#pending.push(frame)
    if (this.#flushScheduled) return
    this.#flushScheduled = true
    const schedule = this.options.schedule ?? ((flush: () => void) => this.#nextFrame(flush))
    schedule(() => this.#flush())
  }

  /** The next animation frame at least `flushEveryMs` after the last flush. */
  #nextFrame(flush: () => void): void {
    const wait = this.#lastFlushAt + (this.options.flushEveryMs ?? 100) - performance.now()
    if (wait <= 0) requestAnimationFrame(flush)
    else setTimeout(() => requestAnimationFrame(flush), wait)
  }

  #flush(): void {
    this.#flushScheduled = false
    this.#lastFlushAt = performance.now()
    if (this.#pending.length === 0) return
    const frames = this.#pending
    this.#pending = []
    this.options.onFrames(frames)
  }
}
