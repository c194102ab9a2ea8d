import type { AppEvent } from '@core/events.js'

/** Fetched and live events together, each once, newest first, at most `max`. */
export function mergeEvents(
  fetched: readonly AppEvent[],
  live: readonly AppEvent[],
  max: number,
): AppEvent[] {
  const byId = new Map<number, AppEvent>()
  for (const event of fetched) byId.set(event.id, event)
  for (const event of live) byId.set(event.id, event)
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, max)
}
