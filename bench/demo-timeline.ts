/**
 * What a finished demo spent its time on, read from its project's event log: how many agents
 * were at work on average, how long the merge queue was busy, and how long the run took before
 * the first coding agent could start (the initializer, which nothing can overlap).
 */
import type { AppEvent } from '../src/core/events.js'
import { ProjectStore } from '../src/store/index.js'

export interface DemoTimeline {
  /** run.started to run.finished, seconds. */
  runS: number
  /** Agent time (started to finished, summed over agents) / run time. */
  agentsAtWork: number
  /** Time with a merge queued or running (merges are serial), seconds. */
  mergeQueueBusyS: number
  /** run.started to the first coding agent's start, seconds. */
  beforeCodingS: number
}

/** Total length of the union of [start, end] intervals. */
function unionLength(intervals: Array<[number, number]>): number {
  let total = 0
  let reach = -Infinity
  for (const [start, end] of [...intervals].sort((a, b) => a[0] - b[0])) {
    if (end <= reach) continue
    total += end - Math.max(start, reach)
    reach = end
  }
  return total
}

function allEvents(projectDir: string): AppEvent[] {
  const opened = ProjectStore.open(projectDir)
  if (!opened.ok) throw new Error(opened.error.message)
  using store = opened.value
  const events: AppEvent[] = []
  for (
    let page = store.events.after(0);
    page.length > 0;
    page = store.events.after(page.at(-1)!.id)
  )
    events.push(...page)
  return events
}

/** The timeline of the last run in a demo project (a demo is one run). */
export function demoTimeline(projectDir: string): DemoTimeline {
  const events = allEvents(projectDir)
  const runStart = events.findLast((event) => event.type === 'run.started')?.at ?? NaN
  const runEnd = events.findLast((event) => event.type === 'run.finished')?.at ?? NaN
  const started = new Map<string, number>()
  const queued = new Map<string, number>()
  let agentMs = 0
  let firstCoding = Infinity
  const merges: Array<[number, number]> = []
  for (const event of events) {
    if (event.at < runStart) continue
    if (event.type === 'agent.started') {
      started.set(event.agentId, event.at)
      if (event.role === 'coding') firstCoding = Math.min(firstCoding, event.at)
    } else if (event.type === 'agent.finished') {
      agentMs += event.at - (started.get(event.agentId) ?? event.at)
      started.delete(event.agentId)
    } else if (event.type === 'merge.queued') {
      queued.set(event.agentId, event.at)
    } else if (
      event.type === 'merge.succeeded' ||
      event.type === 'merge.conflict' ||
      (event.type === 'check.finished' && !event.passed)
    ) {
      merges.push([queued.get(event.agentId) ?? event.at, event.at])
      queued.delete(event.agentId)
    }
  }
  const runMs = runEnd - runStart
  return {
    runS: runMs / 1000,
    agentsAtWork: agentMs / runMs,
    mergeQueueBusyS: unionLength(merges) / 1000,
    beforeCodingS: (firstCoding - runStart) / 1000,
  }
}
