/**
 * Wakes the run loop: `wake()` any number of times, `next()` resolves once after them (at once
 * when a wake came since the last `next()`), so the loop never polls and never misses a change.
 */
export class WakeSignal {
  #woken = false
  #wakeUp: (() => void) | null = null

  wake(): void {
    this.#woken = true
    const wake = this.#wakeUp
    this.#wakeUp = null
    wake?.()
  }

  async next(): Promise<void> {
    if (!this.#woken) await new Promise<void>((resolve) => (this.#wakeUp = resolve))
    this.#woken = false
  }
}
