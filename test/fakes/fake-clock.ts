import type { Clock } from '../../src/core/clock.js'

/** A clock that moves only when told; sleeps resolve when time is advanced past them. */
export class FakeClock implements Clock {
  #now: number
  #sleepers: Array<{ until: number; resolve: () => void }> = []

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start
  }

  now(): number {
    return this.#now
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const sleeper = { until: this.#now + ms, resolve }
      this.#sleepers.push(sleeper)
      signal?.addEventListener('abort', () => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper)
        reject(new Error('aborted'))
      })
    })
  }

  /** Moves time forward and wakes every sleeper that is due. */
  advance(ms: number): void {
    this.#now += ms
    const due = this.#sleepers.filter((s) => s.until <= this.#now)
    this.#sleepers = this.#sleepers.filter((s) => s.until > this.#now)
    for (const sleeper of due) sleeper.resolve()
  }

  get pendingSleeps(): number {
    return this.#sleepers.length
  }
}
