import { watch } from 'node:fs'
import type { FSWatcher } from 'node:fs'
import { dirname } from 'node:path'

import type { AppEvent } from '../core/index.js'
import type { ProjectStore } from '../store/index.js'

type Listener = (event: AppEvent) => void

export interface ProjectFeedOptions {
  /** Database file to watch for commits by other processes (none: only the safety check). */
  databasePath?: string | undefined
  /** Safety re-check of `data_version` in case a file notification is missed. */
  fallbackCheckMs?: number
}

/**
 * Every event of one project, in id order, exactly once: this process's events straight from
 * the store's bus; events committed by other processes (a CLI run, a stdio MCP server) noticed
 * through SQLite's `data_version` (checked when the database files change) and read from the log.
 */
export class ProjectFeed {
  readonly #listeners = new Set<Listener>()
  readonly #onEnd = new Map<Listener, () => void>()
  #lastId = 0
  #version = -1
  #unsubscribe: (() => void) | null = null
  #watcher: FSWatcher | null = null
  #timer: NodeJS.Timeout | null = null
  #deferred = false

  constructor(
    private readonly store: ProjectStore,
    private readonly options: ProjectFeedOptions = {},
  ) {}

  get lastId(): number {
    return this.#lastId
  }

  /**
   * Listens to every event from now on; `onEnd` is called if the feed ends (its project was
   * removed). Returns the unsubscribe function.
   */
  subscribe(listener: Listener, onEnd?: () => void): () => void {
    if (this.#listeners.size === 0) this.#open()
    this.#listeners.add(listener)
    if (onEnd) this.#onEnd.set(listener, onEnd)
    return () => {
      this.#listeners.delete(listener)
      this.#onEnd.delete(listener)
      if (this.#listeners.size === 0) this.close()
    }
  }

  /** Ends the feed for good: every subscriber's `onEnd` runs. */
  end(): void {
    const ends = [...this.#onEnd.values()]
    this.#listeners.clear()
    this.#onEnd.clear()
    this.close()
    for (const onEnd of ends) onEnd()
  }

  /** Reads events other processes committed since the last check (cheap when there are none). */
  checkExternal(): void {
    if (!this.store.db.open) return
    const version = this.store.externalVersion()
    if (version === this.#version) return
    this.#version = version
    this.#catchUp()
  }

  close(): void {
    this.#unsubscribe?.()
    this.#unsubscribe = null
    this.#watcher?.close()
    this.#watcher = null
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
  }

  #open(): void {
    this.#lastId = this.store.events.lastId()
    this.#version = this.store.externalVersion()
    this.#unsubscribe = this.store.events.subscribe((event) => this.#onBus(event))
    if (this.options.databasePath !== undefined) {
      try {
        this.#watcher = watch(dirname(this.options.databasePath), { persistent: false }, () =>
          this.checkExternal(),
        )
        this.#watcher.on('error', () => {
          this.#watcher?.close()
          this.#watcher = null
        })
      } catch {
        this.#watcher = null
      }
    }
    this.#timer = setInterval(() => this.checkExternal(), this.options.fallbackCheckMs ?? 2_000)
    this.#timer.unref()
  }

  #onBus(event: AppEvent): void {
    if (this.store.db.inTransaction) {
      // Not committed yet and may be rolled back (its id then reused): read it from the log once
      // the (synchronous) transaction is over.
      if (!this.#deferred) {
        this.#deferred = true
        queueMicrotask(() => {
          this.#deferred = false
          if (this.store.db.open) this.#catchUp()
        })
      }
      return
    }
    if (event.id <= this.#lastId) return
    if (event.id === this.#lastId + 1) {
      this.#dispatch(event)
      return
    }
    // A gap: another process wrote in between; the log has them all, in order.
    this.#catchUp()
    if (event.id > this.#lastId) this.#dispatch(event)
  }

  #catchUp(): void {
    for (;;) {
      const batch = this.store.events.after(this.#lastId, 500)
      for (const event of batch) this.#dispatch(event)
      if (batch.length < 500) return
    }
  }

  #dispatch(event: AppEvent): void {
    this.#lastId = event.id
    for (const listener of this.#listeners) {
      try {
        listener(event)
      } catch {
        // A failing socket must not stop the others; each listener handles its own errors.
      }
    }
  }
}
