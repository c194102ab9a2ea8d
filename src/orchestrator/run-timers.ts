import type { Clock } from '../core/index.js'

/** Timers longer than 2^31 ms fire at once: long waits sleep in slices of at most a day. */
const LONGEST_SLEEP_MS = 86_400_000

/** Calls `tick` every `intervalMs()` until `signal` aborts. */
export async function repeatEvery(
  clock: Clock,
  intervalMs: () => number,
  signal: AbortSignal,
  tick: () => void,
): Promise<void> {
  for (;;) {
    try {
      await clock.sleep(intervalMs(), signal)
    } catch {
      return
    }
    tick()
  }
}

/** Resolves true once `ms` have passed, false when `signal` aborts first. */
export async function elapsed(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  const until = clock.now() + ms
  while (clock.now() < until) {
    try {
      await clock.sleep(Math.min(until - clock.now(), LONGEST_SLEEP_MS), signal)
    } catch {
      return false
    }
  }
  return true
}
