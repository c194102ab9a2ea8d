import { z } from 'zod'

import { EventBody } from '../core/index.js'
import type { AppEvent, EventType, Clock } from '../core/index.js'
import type { Db } from './database.js'
import { readJsonColumn } from './json-column.js'

type Listener = (event: AppEvent) => void

/** Receives one line each time a subscriber throws (default: stderr). */
export type SubscriberErrorReport = (message: string) => void

function reportOnStderr(message: string): void {
  process.stderr.write(`autocoder: ${message}\n`)
}

/** One line naming the event and the error, with the frame that threw when there is one. */
function subscriberFailure(event: AppEvent, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const frame =
    error instanceof Error
      ? error.stack?.split('\n').find((line) => /^\s+at /.test(line))
      : undefined
  const where = frame === undefined ? '' : ` (${frame.trim()})`
  return `an event subscriber failed on ${event.type} (event ${event.id}): ${message}${where}; the event was stored and the other subscribers got it.`
}

interface EventRow {
  id: number
  at: number
  type: string
  body: string
}

/**
 * The append-only event log of a project, and the in-process bus: `append` stores an event and
 * hands it to every subscriber. Readers resume from an id with `after`.
 */
export class EventLog {
  readonly #listeners = new Set<Listener>()
  readonly #insert
  readonly #after
  readonly #last
  readonly #page

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly reportSubscriberError: SubscriberErrorReport = reportOnStderr,
  ) {
    this.#insert = db.prepare<[number, string, string], EventRow>(
      'INSERT INTO events (at, type, body) VALUES (?, ?, ?) RETURNING id, at, type, body',
    )
    this.#after = db.prepare<[number, number], EventRow>(
      'SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?',
    )
    this.#last = db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM events')
    this.#page = db.prepare<
      { before: number; limit: number; agent: string | null; feature: number | null },
      EventRow
    >(
      `SELECT * FROM events WHERE id < @before
         AND (@agent IS NULL OR json_extract(body, '$.agentId') = @agent)
         AND (@feature IS NULL OR json_extract(body, '$.featureId') = @feature
              OR EXISTS (SELECT 1 FROM json_each(body, '$.featureIds') WHERE value = @feature))
       ORDER BY id DESC LIMIT @limit`,
    )
  }

  /**
   * Appends an event (validated against the union) and publishes it. A subscriber that throws is
   * reported (one line per failure) and does not stop the append or the other subscribers.
   */
  append(body: EventBody): AppEvent {
    const parsed = EventBody.parse(body)
    const row = this.#insert.get(this.clock.now(), parsed.type, JSON.stringify(parsed))!
    const event = { ...parsed, id: row.id, at: row.at }
    for (const listener of this.#listeners) {
      try {
        listener(event)
      } catch (error) {
        // A faulty subscriber must not break the writer, but must not fail unseen either.
        this.reportSubscriberError(subscriberFailure(event, error))
      }
    }
    return event
  }

  /** Events with id greater than `afterId`, oldest first. */
  after(afterId: number, limit = 1000): AppEvent[] {
    return this.#after.all(afterId, limit).map(toEvent)
  }

  /**
   * Events before `beforeId` (default: all), newest first, optionally only those of one agent or
   * one feature (by `featureId` or in `featureIds`): a log page for people, read backwards.
   */
  page(options: {
    beforeId?: number
    limit: number
    agentId?: string
    featureId?: number
  }): AppEvent[] {
    return this.#page
      .all({
        before: options.beforeId ?? Number.MAX_SAFE_INTEGER,
        limit: options.limit,
        agent: options.agentId ?? null,
        feature: options.featureId ?? null,
      })
      .map(toEvent)
  }

  lastId(): number {
    return this.#last.get()?.id ?? 0
  }

  /** Subscribes to new events; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Waits for the next event of one of the given types (or any), or until aborted. */
  next(types?: readonly EventType[], signal?: AbortSignal): Promise<AppEvent> {
    return new Promise((resolve, reject) => {
      const unsubscribe = this.subscribe((event) => {
        if (types && !types.includes(event.type)) return
        unsubscribe()
        signal?.removeEventListener('abort', onAbort)
        resolve(event)
      })
      const onAbort = (): void => {
        unsubscribe()
        reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'))
      }
      if (signal?.aborted) onAbort()
      else signal?.addEventListener('abort', onAbort, { once: true })
    })
  }
}

/**
 * A stored body: a JSON object with the event's type. Not parsed with the full union on reads: an
 * event stored by an earlier version keeps the shape it had then, and the log must stay readable.
 */
const StoredBody = z.looseObject({ type: z.string() })

function toEvent(row: EventRow): AppEvent {
  const body = readJsonColumn(StoredBody, row.body, {
    table: 'events',
    column: 'body',
    row: `id = ${row.id}`,
  })
  return { ...(body as EventBody), id: row.id, at: row.at }
}
