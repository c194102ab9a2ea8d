import type { AppEvent } from '@core/events.js'

import { describeToolUse, firstLine } from './live-events.js'

function ids(list: readonly number[]): string {
  return list.map((id) => `#${id}`).join(', ')
}

/** One readable line per event, for the activity feed, agent logs and feature timelines. */
export function describeEvent(event: AppEvent): string {
  switch (event.type) {
    case 'run.started':
      return event.sandbox ? `Run started (sandbox: ${event.sandbox})` : 'Run started'
    case 'run.unsandboxed':
      return `WARNING: ${event.message}`
    case 'run.paused':
      return 'Run paused'
    case 'run.resumed':
      return 'Run resumed'
    case 'run.draining':
      return `Draining: ${event.reason}`
    case 'run.concurrency':
      return `Now ${event.coding} coding and ${event.testing} testing agents at once`
    case 'run.deadlock':
      return `Deadlock: ${event.blocked.length} features wait on work that cannot finish`
    case 'run.finished':
      return `Run ended (${event.reason}): ${firstLine(event.message)}`
    case 'agent.started':
      return `${event.agentId} started (${event.role}${event.featureIds.length ? ` on ${ids(event.featureIds)}` : ''}, ${event.model})`
    case 'agent.text':
      return firstLine(event.text, 400)
    case 'agent.thinking':
      return `(thinking) ${firstLine(event.text, 400)}`
    case 'agent.tool_use':
      return `→ ${describeToolUse(event.tool, event.input)}`
    case 'agent.tool_result':
      return `${event.isError ? '✗' : '←'} ${firstLine(event.output, 300) || '(no output)'}`
    case 'agent.usage':
      return `used ${event.usage.inputTokens + event.usage.cacheReadTokens + event.usage.cacheWriteTokens} in, ${event.usage.outputTokens} out ($${event.usage.costUsd.toFixed(4)})`
    case 'agent.rate_limited':
      return `Rate limited${event.status ? ` (${event.status})` : ''}: waits ${Math.round(event.retryAfterMs / 1000)} s`
    case 'agent.error':
      return `Error ${event.code}: ${firstLine(event.message)}`
    case 'agent.finished':
      return `${event.agentId} finished (${event.outcome})${event.message ? `: ${firstLine(event.message)}` : ''}`
    case 'feature.created':
      return `${event.featureIds.length === 1 ? `Feature ${ids(event.featureIds)}` : `${event.featureIds.length} features`} created by ${event.by}`
    case 'feature.updated':
      return `#${event.featureId}: ${event.fields.join(', ')} edited by ${event.by}`
    case 'feature.deleted':
      return `#${event.featureId} deleted by ${event.by}`
    case 'feature.state':
      return `#${event.featureId}: ${event.from} → ${event.to} (${event.reason})`
    case 'feature.claimed':
      return `#${event.featureId} claimed by ${event.agentId} (${event.kind})`
    case 'feature.released':
      return `#${event.featureId} released by ${event.agentId}: ${event.reason}`
    case 'feature.note':
      return `#${event.featureId}: ${event.kind} from ${event.author}`
    case 'merge.queued':
      return `${ids(event.featureIds)} queued for merge`
    case 'merge.succeeded':
      return `${ids(event.featureIds)} merged as ${event.commit.slice(0, 10)}`
    case 'merge.conflict':
      return `${ids(event.featureIds)}: merge conflict in ${event.files.join(', ') || 'some files'}`
    case 'check.finished':
      return `${ids(event.featureIds)}: check ${event.passed ? 'passed' : 'failed'}`
    case 'git.restored':
      return `Put back git config an agent changed (${event.paths.join(', ')}) before ${event.when}`
    case 'tool.called':
      return `${event.caller} called ${event.tool} (${event.outcome})`
    case 'policy.decision':
      return `${event.allowed ? 'Allowed' : 'Refused'}: ${firstLine(event.command, 200)} (${event.reason})`
    case 'log':
      return `[${event.source}] ${firstLine(event.text, 400)}`
    default: {
      const unknown: never = event
      return String(unknown)
    }
  }
}

/** How an event reads at a glance: good news, bad news or neither. */
export function eventTone(event: AppEvent): 'good' | 'bad' | 'neutral' {
  switch (event.type) {
    case 'merge.succeeded':
    case 'run.resumed':
      return 'good'
    case 'feature.state':
      return event.to === 'passing'
        ? 'good'
        : event.to === 'failing' || event.to === 'needs_human'
          ? 'bad'
          : 'neutral'
    case 'check.finished':
      return event.passed ? 'good' : 'bad'
    case 'agent.error':
    case 'merge.conflict':
    case 'run.deadlock':
    case 'agent.rate_limited':
    case 'git.restored':
      return 'bad'
    case 'policy.decision':
      return event.allowed ? 'neutral' : 'bad'
    case 'agent.finished':
      return event.outcome === 'done' ? 'good' : event.outcome === 'interrupted' ? 'neutral' : 'bad'
    case 'run.finished':
      return event.reason === 'complete'
        ? 'good'
        : event.reason === 'stopped' || event.reason === 'drained'
          ? 'neutral'
          : 'bad'
    case 'run.unsandboxed':
      return 'bad'
    case 'run.started':
    case 'run.paused':
    case 'run.draining':
    case 'run.concurrency':
    case 'agent.started':
    case 'agent.text':
    case 'agent.thinking':
    case 'agent.tool_use':
    case 'agent.tool_result':
    case 'agent.usage':
    case 'feature.created':
    case 'feature.updated':
    case 'feature.deleted':
    case 'feature.claimed':
    case 'feature.released':
    case 'feature.note':
    case 'merge.queued':
    case 'tool.called':
    case 'log':
      return 'neutral'
  }
}
