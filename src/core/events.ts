import { z } from 'zod'

import { AgentKind, FeatureId, FeatureState } from './feature.js'
import { SANDBOX_KINDS } from './sandbox-kinds.js'

/**
 * Every state change is one of these typed events. The orchestrator appends each to the event log
 * and publishes it on the bus; the server forwards them to WebSocket clients as they are; the CLI
 * prints them. Add a new kind here, never a free-form string.
 */
const AgentRole = z.enum(['initializer', 'coding', 'testing', 'assistant', 'spec', 'expand'])
export type AgentRole = z.infer<typeof AgentRole>

const ids = z.array(FeatureId)
const agent = { agentId: z.string() }

export const Usage = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cacheReadTokens: z.number().int().nonnegative(),
  cacheWriteTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
})
export type Usage = z.infer<typeof Usage>

/** Where agent-written code runs: an OS sandbox, or none because a person accepted the risk. */
export const SandboxKindName = z.enum(SANDBOX_KINDS)
export type SandboxKindName = z.infer<typeof SandboxKindName>

export const EventBody = z.discriminatedUnion('type', [
  // runs
  z.object({
    type: z.literal('run.started'),
    runId: z.string(),
    options: z.record(z.string(), z.unknown()),
    /** Where the agents' code runs (absent for simulated agents, which run none). */
    sandbox: SandboxKindName.optional(),
  }),
  /** Agents run without the OS sandbox because a person accepted the risk (a single agent: no run id). */
  z.object({
    type: z.literal('run.unsandboxed'),
    runId: z.string().nullable(),
    message: z.string(),
  }),
  z.object({ type: z.literal('run.paused'), runId: z.string() }),
  z.object({ type: z.literal('run.resumed'), runId: z.string() }),
  z.object({ type: z.literal('run.draining'), runId: z.string(), reason: z.string() }),
  z.object({
    type: z.literal('run.concurrency'),
    runId: z.string(),
    coding: z.number().int(),
    testing: z.number().int(),
  }),
  z.object({
    type: z.literal('run.deadlock'),
    runId: z.string(),
    blocked: z.array(z.object({ id: FeatureId, waitingOn: ids, missing: ids })),
    cycles: z.array(ids),
  }),
  z.object({
    type: z.literal('run.finished'),
    runId: z.string(),
    reason: z.enum(['complete', 'stopped', 'drained', 'budget', 'deadlock', 'error']),
    message: z.string(),
    /** The error code of the failure that ended the run (reason `error`), e.g. GIT_FAILED. */
    code: z.string().optional(),
  }),
  // agents
  z.object({
    type: z.literal('agent.started'),
    ...agent,
    role: AgentRole,
    featureIds: ids,
    model: z.string(),
  }),
  z.object({ type: z.literal('agent.text'), ...agent, text: z.string() }),
  z.object({ type: z.literal('agent.thinking'), ...agent, text: z.string() }),
  z.object({
    type: z.literal('agent.tool_use'),
    ...agent,
    toolUseId: z.string(),
    tool: z.string(),
    input: z.unknown(),
  }),
  z.object({
    type: z.literal('agent.tool_result'),
    ...agent,
    toolUseId: z.string(),
    isError: z.boolean(),
    output: z.string(),
  }),
  z.object({ type: z.literal('agent.usage'), ...agent, featureIds: ids, usage: Usage }),
  z.object({
    type: z.literal('agent.rate_limited'),
    ...agent,
    status: z.number().int().nullable(),
    retryAfterMs: z.number().nonnegative(),
  }),
  z.object({ type: z.literal('agent.error'), ...agent, code: z.string(), message: z.string() }),
  z.object({
    type: z.literal('agent.finished'),
    ...agent,
    role: AgentRole,
    featureIds: ids,
    outcome: z.enum(['done', 'incomplete', 'error', 'interrupted', 'timeout']),
    message: z.string(),
  }),
  // features
  z.object({ type: z.literal('feature.created'), featureIds: ids, by: z.string() }),
  z.object({
    type: z.literal('feature.updated'),
    featureId: FeatureId,
    by: z.string(),
    fields: z.array(z.string()),
  }),
  z.object({ type: z.literal('feature.deleted'), featureId: FeatureId, by: z.string() }),
  z.object({
    type: z.literal('feature.state'),
    featureId: FeatureId,
    from: FeatureState,
    to: FeatureState,
    by: z.string(),
    reason: z.string(),
    /** Coding attempts after this change (so watchers need not re-read the feature). */
    attempts: z.number().int().nonnegative().optional(),
  }),
  z.object({
    type: z.literal('feature.claimed'),
    featureId: FeatureId,
    agentId: z.string(),
    kind: AgentKind,
    /** The feature's state after the claim (a coding claim moves it to in_progress). */
    state: FeatureState.optional(),
  }),
  z.object({
    type: z.literal('feature.released'),
    featureId: FeatureId,
    agentId: z.string(),
    reason: z.string(),
    /** The feature's state after the release (one still in progress gets its earlier state back). */
    state: FeatureState.optional(),
  }),
  z.object({
    type: z.literal('feature.note'),
    featureId: FeatureId,
    author: z.string(),
    kind: z.string(),
  }),
  // merges and checks
  z.object({ type: z.literal('merge.queued'), ...agent, featureIds: ids, branch: z.string() }),
  z.object({ type: z.literal('merge.succeeded'), ...agent, featureIds: ids, commit: z.string() }),
  z.object({
    type: z.literal('merge.conflict'),
    ...agent,
    featureIds: ids,
    files: z.array(z.string()),
  }),
  z.object({
    type: z.literal('check.finished'),
    ...agent,
    featureIds: ids,
    passed: z.boolean(),
    output: z.string(),
  }),
  // our own git: repository config or hooks an agent changed, put back before our git ran
  z.object({ type: z.literal('git.restored'), paths: z.array(z.string()), when: z.string() }),
  // tools and policy
  z.object({
    type: z.literal('tool.called'),
    tool: z.string(),
    caller: z.string(),
    featureIds: ids,
    outcome: z.enum(['ok', 'error']),
    durationMs: z.number().nonnegative(),
    message: z.string().optional(),
  }),
  z.object({
    type: z.literal('policy.decision'),
    ...agent,
    command: z.string(),
    allowed: z.boolean(),
    reason: z.string(),
  }),
  // people and services
  z.object({
    type: z.literal('log'),
    source: z.string(),
    level: z.enum(['debug', 'info', 'warn', 'error']),
    text: z.string(),
  }),
])
export type EventBody = z.infer<typeof EventBody>
export type EventType = EventBody['type']

/** An event as stored in the log: a monotonically increasing id and a timestamp. */
export type AppEvent = EventBody & { id: number; at: number }
export type EventOf<T extends EventType> = Extract<EventBody, { type: T }>
