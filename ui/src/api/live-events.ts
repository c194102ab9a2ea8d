import type { RunStatusView } from '@core/api/index.js'
import type { AppEvent } from '@core/events.js'

import type { LiveAgent, LiveFeature, LiveState } from './live-state.js'
import { addUsage, MAX_AGENT_LOG, ZERO_USAGE } from './usage.js'

/** The mutable state `applyEvent` works on (see `applyFrames`). */
export interface EventDraft {
  stateEventId: number
  features: Map<number, LiveFeature>
  agents: Map<string, LiveAgent>
  activity: AppEvent[]
  agentLogs: Map<string, AppEvent[]>
  mergeQueue: number[]
  run: RunStatusView
  spend: LiveState['spend']
  runSpend: LiveState['runSpend']
  structureVersion: number
  sessionVersion: number
  runVersion: number
  featuresChanged: boolean
  logsTouched: Set<string>
}

const NOTEWORTHY = new Set<AppEvent['type']>([
  'run.started',
  'run.unsandboxed',
  'run.paused',
  'run.resumed',
  'run.draining',
  'run.concurrency',
  'run.deadlock',
  'run.finished',
  'agent.started',
  'agent.finished',
  'agent.error',
  'agent.rate_limited',
  'feature.state',
  'feature.created',
  'feature.deleted',
  'merge.succeeded',
  'merge.conflict',
  'check.finished',
  'git.restored',
])

/** Whether an event belongs in the activity feed. */
export function isNoteworthy(event: AppEvent): boolean {
  if (event.type === 'policy.decision') return !event.allowed
  if (event.type === 'log') return event.level === 'warn' || event.level === 'error'
  return NOTEWORTHY.has(event.type)
}

/** The first line of a text, cut to `max` characters. */
export function firstLine(text: string, max = 160): string {
  const line = text.trim().split('\n', 1)[0] ?? ''
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

/** A tool call as one line: the tool and its most telling argument. */
export function describeToolUse(tool: string, input: unknown): string {
  const name = tool.replace(/^mcp__[^_]+__/, '')
  if (input === null || typeof input !== 'object') return name
  const record = input as Record<string, unknown>
  for (const key of [
    'command',
    'file_path',
    'path',
    'pattern',
    'url',
    'feature_id',
    'description',
  ]) {
    const value = record[key]
    if (typeof value === 'string' || typeof value === 'number')
      return `${name}: ${firstLine(String(value), 120)}`
  }
  return name
}

function touchAgent(
  draft: EventDraft,
  event: AppEvent & { agentId: string },
  change: Partial<LiveAgent>,
): void {
  const agent = draft.agents.get(event.agentId)
  if (agent) draft.agents.set(event.agentId, { ...agent, ...change, lastAt: event.at })
}

function logFor(draft: EventDraft, agentId: string, event: AppEvent): void {
  let log = draft.agentLogs.get(agentId)
  if (!draft.logsTouched.has(agentId)) {
    log = log ? [...log] : []
    draft.agentLogs.set(agentId, log)
    draft.logsTouched.add(agentId)
  }
  log!.push(event)
  if (log!.length > MAX_AGENT_LOG) log!.splice(0, log!.length - MAX_AGENT_LOG)
}

function setFeature(draft: EventDraft, id: number, change: Partial<LiveFeature>): void {
  const feature = draft.features.get(id)
  if (!feature) return
  draft.features.set(id, { ...feature, ...change })
  draft.featuresChanged = true
}

type RunEvent = Extract<
  AppEvent,
  {
    type:
      | 'run.started'
      | 'run.paused'
      | 'run.resumed'
      | 'run.draining'
      | 'run.concurrency'
      | 'run.finished'
  }
>

function applyRunEvent(draft: EventDraft, event: RunEvent): void {
  const run = draft.run
  switch (event.type) {
    case 'run.started':
      draft.run = {
        ...run,
        owner: 'server',
        runId: event.runId,
        mode: 'running',
        settings: event.options,
        startedAt: event.at,
        drainReason: null,
        sandbox: event.sandbox ?? null,
      }
      draft.agents.clear()
      draft.mergeQueue = []
      draft.runSpend = { ...ZERO_USAGE }
      break
    case 'run.paused':
      draft.run = { ...run, mode: 'paused' }
      break
    case 'run.resumed':
      draft.run = { ...run, mode: 'running', drainReason: null }
      break
    case 'run.draining':
      draft.run = { ...run, mode: 'draining', drainReason: event.reason }
      break
    case 'run.concurrency':
      draft.run = {
        ...run,
        settings: { ...run.settings, concurrency: event.coding, testingAgents: event.testing },
      }
      break
    case 'run.finished':
      draft.run = {
        ...run,
        mode: 'idle',
        owner: 'none',
        agents: [],
        lastRun: { runId: event.runId, reason: event.reason, message: event.message, at: event.at },
        sandbox: null,
      }
      draft.agents.clear()
      draft.mergeQueue = []
      break
  }
  draft.runVersion++
}

/** Events a snapshot does not describe: what agents did, for their cards and logs. */
function applyAgentDetail(draft: EventDraft, event: AppEvent, counted: boolean): boolean {
  switch (event.type) {
    case 'agent.tool_use':
      touchAgent(draft, event, {
        tool: describeToolUse(event.tool, event.input),
        rateLimitedUntil: null,
      })
      return true
    case 'agent.text':
    case 'agent.thinking': {
      const text = firstLine(event.text)
      if (text !== '') touchAgent(draft, event, { thought: text })
      return true
    }
    case 'agent.usage': {
      const agent = draft.agents.get(event.agentId)
      if (agent) touchAgent(draft, event, { usage: addUsage(agent.usage, event.usage) })
      if (!counted) {
        draft.spend = addUsage(draft.spend, event.usage)
        if (draft.runSpend) draft.runSpend = addUsage(draft.runSpend, event.usage)
      }
      return true
    }
    case 'agent.rate_limited':
      touchAgent(draft, event, { rateLimitedUntil: event.at + event.retryAfterMs })
      return true
    case 'merge.queued':
      draft.mergeQueue.push(...event.featureIds)
      touchAgent(draft, event, { phase: 'settling' })
      return true
    case 'merge.succeeded':
    case 'merge.conflict':
      draft.mergeQueue = draft.mergeQueue.filter((id) => !event.featureIds.includes(id))
      return true
    case 'run.started':
    case 'run.unsandboxed':
    case 'run.paused':
    case 'run.resumed':
    case 'run.draining':
    case 'run.concurrency':
    case 'run.deadlock':
    case 'run.finished':
    case 'agent.started':
    case 'agent.tool_result':
    case 'agent.error':
    case 'agent.finished':
    case 'feature.created':
    case 'feature.updated':
    case 'feature.deleted':
    case 'feature.state':
    case 'feature.claimed':
    case 'feature.released':
    case 'feature.note':
    case 'check.finished':
    case 'git.restored':
    case 'tool.called':
    case 'policy.decision':
    case 'log':
      return false
  }
}

/**
 * Applies one event to the draft (see `applyFrames`). `counted`: the snapshot already includes
 * it, so only the feed, the logs and the agent cards take it.
 */
export function applyEvent(draft: EventDraft, event: AppEvent, counted = false): void {
  if (isNoteworthy(event)) draft.activity.unshift(event)
  if ('agentId' in event && event.type.startsWith('agent.')) logFor(draft, event.agentId, event)
  if (applyAgentDetail(draft, event, counted) || counted) return
  switch (event.type) {
    case 'run.started':
    case 'run.paused':
    case 'run.resumed':
    case 'run.draining':
    case 'run.concurrency':
    case 'run.finished':
      applyRunEvent(draft, event)
      return
    case 'agent.started':
      draft.agents.set(event.agentId, {
        agentId: event.agentId,
        role: event.role,
        featureIds: event.featureIds,
        model: event.model,
        startedAt: event.at,
        phase: 'running',
        tool: null,
        thought: null,
        usage: { ...ZERO_USAGE },
        lastAt: event.at,
        rateLimitedUntil: null,
      })
      draft.runVersion++
      return
    case 'agent.finished':
      draft.agents.delete(event.agentId)
      draft.sessionVersion++
      draft.runVersion++
      return
    case 'feature.state':
      setFeature(draft, event.featureId, {
        state: event.to,
        ...(event.attempts === undefined ? {} : { attempts: event.attempts }),
      })
      return
    case 'feature.claimed':
    case 'feature.released':
      setFeature(draft, event.featureId, {
        heldBy: event.type === 'feature.claimed' ? event.agentId : null,
        ...(event.state === undefined ? {} : { state: event.state }),
      })
      return
    case 'feature.created':
      // New features start pending; the re-read list brings their names.
      for (const id of event.featureIds)
        if (!draft.features.has(id))
          draft.features.set(id, {
            name: '',
            category: '',
            state: 'pending',
            heldBy: null,
            attempts: 0,
          })
      draft.featuresChanged = true
      draft.structureVersion++
      return
    case 'feature.updated':
    case 'feature.deleted':
      if (event.type === 'feature.deleted') {
        draft.features.delete(event.featureId)
        draft.featuresChanged = true
      }
      draft.structureVersion++
      return
    // Taken by applyAgentDetail above, or only for the feed and the logs.
    case 'run.unsandboxed':
    case 'run.deadlock':
    case 'agent.text':
    case 'agent.thinking':
    case 'agent.tool_use':
    case 'agent.tool_result':
    case 'agent.usage':
    case 'agent.rate_limited':
    case 'agent.error':
    case 'feature.note':
    case 'merge.queued':
    case 'merge.succeeded':
    case 'merge.conflict':
    case 'check.finished':
    case 'git.restored':
    case 'tool.called':
    case 'policy.decision':
    case 'log':
      return
  }
}
