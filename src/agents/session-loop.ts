import { randomUUID } from 'node:crypto'

import {
  AUTO_CONTINUE_DELAY_SECONDS,
  clampRetryAfter,
  errorBackoff,
  rateLimitBackoff,
} from '../core/backoff.js'
import type { Clock } from '../core/clock.js'
import type { Usage } from '../core/events.js'
import type { Result } from '../core/result.js'
import type { ProjectStore } from '../store/project-store.js'
import type { AgentRoleName } from './prompts.js'
import { addUsage, ZERO_USAGE } from './runtime.js'
import type { ModelRuntime, SessionFailure, SessionSpec } from './runtime.js'
import { watchSession } from './watch-session.js'
import type { StopReason, WatchLimits } from './watch-session.js'

export type AgentOutcome = 'done' | 'incomplete' | 'error' | 'interrupted' | 'timeout'

/** One agent to run to completion. */
export interface AgentRun {
  agentId: string
  role: AgentRoleName
  featureIds: readonly number[]
  model: string
  runId?: string | null
  /**
   * The spec of session `iteration` (1-based); every session starts from a fresh context. A
   * failure (a malformed policy or prompt file) ends the agent with outcome `error`.
   */
  session: (
    iteration: number,
  ) => SessionSpec | Result<SessionSpec> | Promise<SessionSpec | Result<SessionSpec>>
  /** Whether the assigned work is done, read from the store (never from the model's text). */
  isDone: () => boolean
  /** Runs after every session (the orchestrator restores repository config an agent changed). */
  afterSession?: (() => Promise<void>) | undefined
}

export interface SessionLoopOptions extends Partial<WatchLimits> {
  runtime: ModelRuntime
  store: ProjectStore
  clock: Clock
  /** For the rate-limit jitter; default Math.random. */
  random?: () => number
  /** Sessions at most; default unlimited. */
  maxIterations?: number | undefined
  /** Pause between sessions; default 3 s (the reference's). */
  autoContinueDelayMs?: number
  /** Errors in a row (timeouts included) before the agent gives up; default 3. */
  maxConsecutiveErrors?: number
  signal?: AbortSignal | undefined
  newSessionId?: () => string
  /**
   * Lease of the agent's claims: while the agent runs (sessions and waits) the loop renews every
   * claim it holds each third of this, so a long silent command does not lose them.
   */
  leaseMs?: number | undefined
}

export interface AgentRunResult {
  outcome: AgentOutcome
  iterations: number
  usage: Usage
  message: string
}

export const DEFAULT_LIMITS: WatchLimits = {
  idleTimeoutMs: 10 * 60_000,
  sessionTimeoutMs: 2 * 60 * 60_000,
  interruptGraceMs: 30_000,
}

/** Failures a retry cannot fix: the person running autocoder has to act. */
const FATAL: ReadonlySet<SessionFailure['kind']> = new Set([
  'auth',
  'billing',
  'model_not_found',
  'invalid_request',
])

type Verdict =
  { kind: 'continue'; delayMs: number } | { kind: 'stop'; outcome: AgentOutcome; message: string }

/**
 * Runs one agent until its assigned work is done (as the store says), the iteration cap, a fatal
 * error, too many errors in a row, or the abort signal. Between sessions it waits: the
 * auto-continue delay, the API's retry-after or the rate-limit backoff, or the error backoff.
 * Every event goes to the store's event log; usage and cost are recorded per session.
 */
export async function runAgent(
  run: AgentRun,
  options: SessionLoopOptions,
): Promise<AgentRunResult> {
  const { store, clock } = options
  const limits: WatchLimits = {
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_LIMITS.idleTimeoutMs,
    sessionTimeoutMs: options.sessionTimeoutMs ?? DEFAULT_LIMITS.sessionTimeoutMs,
    interruptGraceMs: options.interruptGraceMs ?? DEFAULT_LIMITS.interruptGraceMs,
  }
  const random = options.random ?? Math.random
  const maxErrors = options.maxConsecutiveErrors ?? 3
  const continueMs = options.autoContinueDelayMs ?? AUTO_CONTINUE_DELAY_SECONDS * 1000
  const featureIds = [...run.featureIds]
  const agentId = run.agentId
  let usage = ZERO_USAGE
  let iterations = 0
  let rateLimits = 0
  let errors = 0

  store.events.append({
    type: 'agent.started',
    agentId,
    role: run.role,
    featureIds,
    model: run.model,
  })
  const stopHeartbeat = options.leaseMs
    ? startHeartbeat(store, clock, agentId, options.leaseMs)
    : () => {}
  const finish = (outcome: AgentOutcome, message: string): AgentRunResult => {
    stopHeartbeat()
    store.events.append({
      type: 'agent.finished',
      agentId,
      role: run.role,
      featureIds,
      outcome,
      message,
    })
    return { outcome, iterations, usage, message }
  }

  if (run.role === 'coding' && run.isDone())
    return finish('done', 'All assigned features were already done.')

  try {
    return await loop()
  } finally {
    stopHeartbeat()
  }

  async function loop(): Promise<AgentRunResult> {
    for (;;) {
      if (options.signal?.aborted) return finish('interrupted', 'Stopped before the next session.')
      if (options.maxIterations !== undefined && iterations >= options.maxIterations) {
        return finish(
          'incomplete',
          `Stopped after ${iterations} session(s), the iteration cap; the assigned work is not done yet.`,
        )
      }
      iterations += 1
      const built = await run.session(iterations)
      if ('ok' in built && !built.ok) return finish('error', built.error.message)
      const spec = 'ok' in built ? built.value : built
      const sessionId = options.newSessionId?.() ?? randomUUID()
      store.sessions.start({
        id: sessionId,
        runId: run.runId ?? null,
        agentId,
        role: run.role,
        featureIds,
        model: spec.model,
      })
      const watched = await watchSession(
        options.runtime.start({ ...spec, signal: options.signal }),
        {
          clock,
          limits,
          signal: options.signal,
          onEvent: (event) => {
            store.events.append(event)
            if (event.type === 'agent.usage') {
              store.sessions.addUsage(sessionId, event.usage)
              usage = addUsage(usage, event.usage)
            }
          },
        },
      )
      const { end, stoppedBy } = watched
      store.sessions.finish(sessionId, stoppedBy ?? end.failure?.kind ?? end.status)
      await run.afterSession?.()
      if (stoppedBy === 'aborted' || options.signal?.aborted)
        return finish('interrupted', 'Stopped by request.')
      if (run.isDone()) return finish('done', `Assigned work done after ${iterations} session(s).`)

      const verdict = decide(end.failure, stoppedBy)
      if (verdict.kind === 'stop') return finish(verdict.outcome, verdict.message)
      const isLast = options.maxIterations !== undefined && iterations >= options.maxIterations
      if (isLast) continue
      try {
        await clock.sleep(verdict.delayMs, options.signal)
      } catch {
        return finish('interrupted', 'Stopped while waiting for the next session.')
      }
    }
  }

  function decide(failure: SessionFailure | null, stoppedBy: StopReason | null): Verdict {
    if (stoppedBy === 'idle' || stoppedBy === 'wall_clock') {
      const what =
        stoppedBy === 'idle'
          ? `sent nothing for ${limits.idleTimeoutMs / 1000} s`
          : `ran longer than ${limits.sessionTimeoutMs / 1000} s`
      store.events.append({
        type: 'agent.error',
        agentId,
        code: stoppedBy === 'idle' ? 'IDLE_TIMEOUT' : 'SESSION_TIMEOUT',
        message: `The session ${what} and was interrupted.`,
      })
      return onError('timeout', `The last session ${what}.`)
    }
    if (failure === null) {
      errors = 0
      rateLimits = 0
      return { kind: 'continue', delayMs: continueMs }
    }
    if (failure.kind === 'max_turns') {
      // The session worked until its turn budget ran out: carry on with a fresh context.
      errors = 0
      rateLimits = 0
      return { kind: 'continue', delayMs: continueMs }
    }
    if (failure.kind === 'rate_limit' || failure.kind === 'overloaded') {
      errors = 0
      const seconds =
        failure.retryAfterMs !== null && failure.retryAfterMs > 0
          ? clampRetryAfter(Math.ceil(failure.retryAfterMs / 1000))
          : rateLimitBackoff(rateLimits, random)
      rateLimits += 1
      store.events.append({
        type: 'agent.rate_limited',
        agentId,
        status: failure.status,
        retryAfterMs: seconds * 1000,
      })
      return { kind: 'continue', delayMs: seconds * 1000 }
    }
    rateLimits = 0
    store.events.append({
      type: 'agent.error',
      agentId,
      code: `SESSION_${failure.kind.toUpperCase()}`,
      message: failure.message,
    })
    if (FATAL.has(failure.kind))
      return { kind: 'stop', outcome: 'error', message: fatalMessage(failure) }
    return onError('error', failure.message)
  }

  function onError(outcome: AgentOutcome, message: string): Verdict {
    errors += 1
    if (errors > maxErrors)
      return {
        kind: 'stop',
        outcome,
        message: `Gave up after ${errors} failed sessions in a row. ${message}`,
      }
    return { kind: 'continue', delayMs: errorBackoff(errors) * 1000 }
  }
}

/** Renews the agent's claims every third of the lease until stopped. */
function startHeartbeat(
  store: ProjectStore,
  clock: Clock,
  agentId: string,
  leaseMs: number,
): () => void {
  const controller = new AbortController()
  const beat = async (): Promise<void> => {
    for (;;) {
      await clock.sleep(Math.max(1000, Math.floor(leaseMs / 3)), controller.signal)
      store.claims.heartbeat(agentId, leaseMs)
    }
  }
  beat().catch(() => {
    // Stopped: the agent finished.
  })
  return () => controller.abort()
}

function fatalMessage(failure: SessionFailure): string {
  const status = failure.status === null ? '' : ` (HTTP ${failure.status})`
  const fixes: Partial<Record<SessionFailure['kind'], string>> = {
    auth: 'check the credentials with `autocoder doctor`',
    billing: 'check the account’s billing or credit balance',
    model_not_found: 'pick a model the provider serves (--model or the model settings)',
    invalid_request: 'check the model and provider settings',
  }
  return `The model API refused the session${status}: ${failure.message} To fix: ${fixes[failure.kind] ?? 'see the message above'}.`
}
