import type { ProjectServerFrame, ProjectSnapshot, RunStatusView } from '@core/api/index.js'
import type { AppEvent, Usage } from '@core/events.js'
import type { FeatureState, FeatureStats } from '@core/feature.js'
import { computeStats } from '@core/feature.js'

import { applyEvent } from './live-events.js'
import { MAX_ACTIVITY, ZERO_USAGE } from './usage.js'

/** The volatile part of a feature, kept current by the project socket. */
export interface LiveFeature {
  name: string
  category: string
  state: FeatureState
  heldBy: string | null
  /** Known once a state event carried it; else the board's value stands. */
  attempts: number | null
}

/** One agent as mission control shows it, folded from the run status and its events. */
export interface LiveAgent {
  agentId: string
  role: string
  featureIds: readonly number[]
  model: string | null
  startedAt: number
  phase: string
  /** The tool it called last, with a short summary of the input. */
  tool: string | null
  /** The last thing it said or thought (first line). */
  thought: string | null
  /** Usage reported since this client started watching the agent. */
  usage: Usage
  lastAt: number
  rateLimitedUntil: number | null
}

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline'

export interface LiveState {
  project: string
  /** The last event applied (to the feed and logs at least); a reconnect resumes after it. */
  lastEventId: number
  /** The snapshot's event id: features, run and spend already include every event up to it. */
  stateEventId: number
  features: ReadonlyMap<number, LiveFeature>
  stats: FeatureStats
  run: RunStatusView
  agents: ReadonlyMap<string, LiveAgent>
  /** Recent noteworthy events, newest first. */
  activity: readonly AppEvent[]
  /** Events per agent (newest last), for the per-agent log. */
  agentLogs: ReadonlyMap<string, readonly AppEvent[]>
  /** Everything the project spent. */
  spend: Usage
  /** What the current (or last) run spent, if there is one. */
  runSpend: Usage | null
  /** Features in the merge queue (queued and not yet merged or refused). */
  mergeQueue: readonly number[]
  /** Bumped when features were created, edited or deleted: the full list must be read again. */
  structureVersion: number
  /** Bumped when a session ended (costs and attempts settle). */
  sessionVersion: number
  /** Bumped when the run changed in a way the status route knows more about. */
  runVersion: number
}

/** The live state a snapshot describes (a fresh connection, or a reconnect without `after`). */
export function fromSnapshot(snapshot: ProjectSnapshot, previous?: LiveState): LiveState {
  const features = new Map<number, LiveFeature>()
  for (const feature of snapshot.features)
    features.set(feature.id, {
      ...feature,
      attempts: previous?.features.get(feature.id)?.attempts ?? null,
    })
  const agents = new Map<string, LiveAgent>()
  for (const agent of snapshot.run.agents) {
    const known = previous?.agents.get(agent.agentId)
    agents.set(agent.agentId, {
      ...agent,
      tool: known?.tool ?? null,
      thought: known?.thought ?? null,
      usage: known?.usage ?? ZERO_USAGE,
      lastAt: known?.lastAt ?? agent.startedAt,
      rateLimitedUntil: null,
    })
  }
  return {
    project: snapshot.project,
    lastEventId: Math.min(previous?.lastEventId ?? snapshot.lastEventId, snapshot.lastEventId),
    stateEventId: snapshot.lastEventId,
    features,
    stats: snapshot.stats,
    run: snapshot.run,
    agents,
    activity: previous?.activity ?? [],
    agentLogs: previous?.agentLogs ?? new Map(),
    spend: snapshot.spend,
    runSpend: snapshot.run.spend.run,
    mergeQueue: previous?.mergeQueue ?? [],
    structureVersion: (previous?.structureVersion ?? 0) + 1,
    sessionVersion: (previous?.sessionVersion ?? 0) + 1,
    runVersion: (previous?.runVersion ?? 0) + 1,
  }
}

/** A mutable copy to apply a batch of events to; `freeze` turns it back into a state. */
interface Draft extends Omit<
  LiveState,
  'features' | 'agents' | 'activity' | 'agentLogs' | 'mergeQueue'
> {
  features: Map<number, LiveFeature>
  agents: Map<string, LiveAgent>
  activity: AppEvent[]
  agentLogs: Map<string, AppEvent[]>
  mergeQueue: number[]
  featuresChanged: boolean
  logsTouched: Set<string>
}

/**
 * Applies the frames that arrived since the last render, in order, and returns the next state.
 * The socket delivers each event once and in id order; events at or below `lastEventId` are
 * ignored, so a replay that overlaps what was seen changes nothing. After a reconnect the new
 * snapshot comes first and the missed events follow: those only fill the feed, logs and agent
 * cards, since the snapshot already counts them.
 */
export function applyFrames(state: LiveState, frames: readonly ProjectServerFrame[]): LiveState {
  let current = state
  let draft: Draft | null = null
  for (const frame of frames) {
    if (frame.type === 'snapshot') {
      if (draft) current = freeze(draft, current)
      draft = null
      current = fromSnapshot(frame, current)
      continue
    }
    if (frame.type !== 'event' || frame.event.id <= (draft ?? current).lastEventId) continue
    draft ??= toDraft(current)
    applyEvent(draft, frame.event, frame.event.id <= draft.stateEventId)
    draft.lastEventId = frame.event.id
  }
  return draft ? freeze(draft, current) : current
}

function toDraft(state: LiveState): Draft {
  return {
    ...state,
    features: new Map(state.features),
    agents: new Map(state.agents),
    activity: [...state.activity],
    agentLogs: new Map(state.agentLogs as Map<string, AppEvent[]>),
    mergeQueue: [...state.mergeQueue],
    featuresChanged: false,
    logsTouched: new Set(),
  }
}

function freeze(draft: Draft, before: LiveState): LiveState {
  const { featuresChanged, logsTouched: _logs, ...state } = draft
  return {
    ...state,
    // Unchanged features keep their identity, so the board does not recompute.
    features: featuresChanged ? draft.features : before.features,
    stats: featuresChanged
      ? computeStats([...draft.features.values()].map((feature) => feature.state))
      : draft.stats,
    activity:
      draft.activity.length > MAX_ACTIVITY ? draft.activity.slice(0, MAX_ACTIVITY) : draft.activity,
  }
}
