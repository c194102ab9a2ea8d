import type { Clock } from '../../src/core/clock.js'

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted')
}

/**
 * A clock that moves only when told; sleeps resolve when time is advanced past them. Aborting
 * behaves as with systemClock: an aborted signal rejects with its reason, at once if it already is.
 */
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
      if (signal?.aborted) {
        reject(abortError(signal))
        return
      }
      const onAbort = (): void => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper)
        reject(abortError(signal as AbortSignal))
      }
      const sleeper = {
        until: this.#now + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
      }
      this.#sleepers.push(sleeper)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  /** Moves time forward and wakes every sleeper that is due. */
  advance(ms: number): void {
    this.#now += ms
    const due = this.#sleepers.filter((s) => s.until <= this.#now)
    this.#sleepers = this.#sleepers.filter((s) => s.until > this.#now)
    for (const sleeper of due) sleeper.resolve()
  }

  /** Moves time to the earliest pending sleep and wakes the sleepers due then; false when none wait. */
  advanceToNext(): boolean {
    if (this.#sleepers.length === 0) return false
    const until = Math.min(...this.#sleepers.map((s) => s.until))
    this.advance(Math.max(0, until - this.#now))
    return true
  }

  get pendingSleeps(): number {
    return this.#sleepers.length
  }
}
