import { randomUUID } from 'node:crypto'

import {
  AUTO_CONTINUE_DELAY_SECONDS,
  clampRetryAfter,
  errorBackoff,
  rateLimitBackoff,
} from '../core/index.js'
import type { Clock, Usage, Result } from '../core/index.js'
import type { ProjectStore } from '../store/index.js'
import type { AgentRoleName } from './prompts.js'
import { addUsage, ZERO_USAGE } from './runtime.js'
import type { ModelRuntime, SessionFailure, SessionSpec } from './runtime.js'
import { watchSession } from './watch-session.js'
import type { StopReason, WatchLimits } from './watch-session.js'
import type { AgentError } from './error-codes.js'

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
  ) =>
    | SessionSpec
    | Result<SessionSpec, AgentError>
    | Promise<SessionSpec | Result<SessionSpec, AgentError>>
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
  return new AgentLoop(run, options).run()
}

/** One agent's sessions: the loop, one session, and the verdict on how the session ended. */
class AgentLoop {
  readonly #limits: WatchLimits
  readonly #featureIds: number[]
  #usage = ZERO_USAGE
  #iterations = 0
  #rateLimits = 0
  #errors = 0
  #stopHeartbeat: () => void = () => {}

  constructor(
    private readonly agent: AgentRun,
    private readonly options: SessionLoopOptions,
  ) {
    this.#limits = {
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_LIMITS.idleTimeoutMs,
      sessionTimeoutMs: options.sessionTimeoutMs ?? DEFAULT_LIMITS.sessionTimeoutMs,
      interruptGraceMs: options.interruptGraceMs ?? DEFAULT_LIMITS.interruptGraceMs,
    }
    this.#featureIds = [...agent.featureIds]
  }

  async run(): Promise<AgentRunResult> {
    const { store, clock } = this.options
    const { agentId, role, model } = this.agent
    store.events.append({
      type: 'agent.started',
      agentId,
      role,
      featureIds: this.#featureIds,
      model,
    })
    const { leaseMs } = this.options
    if (leaseMs) this.#stopHeartbeat = startHeartbeat(store, clock, agentId, leaseMs)
    if (role === 'coding' && this.agent.isDone())
      return this.#finish('done', 'All assigned features were already done.')
    try {
      return await this.#loop()
    } finally {
      this.#stopHeartbeat()
    }
  }

  #finish(outcome: AgentOutcome, message: string): AgentRunResult {
    this.#stopHeartbeat()
    const { agentId, role } = this.agent
    this.options.store.events.append({
      type: 'agent.finished',
      agentId,
      role,
      featureIds: this.#featureIds,
      outcome,
      message,
    })
    return { outcome, iterations: this.#iterations, usage: this.#usage, message }
  }

  async #loop(): Promise<AgentRunResult> {
    const { options } = this
    for (;;) {
      if (options.signal?.aborted)
        return this.#finish('interrupted', 'Stopped before the next session.')
      if (options.maxIterations !== undefined && this.#iterations >= options.maxIterations) {
        return this.#finish(
          'incomplete',
          `Stopped after ${this.#iterations} session(s), the iteration cap; the assigned work is not done yet.`,
        )
      }
      this.#iterations += 1
      const built = await this.agent.session(this.#iterations)
      if ('ok' in built && !built.ok) return this.#finish('error', built.error.message)
      const { end, stoppedBy } = await this.#session('ok' in built ? built.value : built)
      await this.agent.afterSession?.()
      if (stoppedBy === 'aborted' || options.signal?.aborted)
        return this.#finish('interrupted', 'Stopped by request.')
      if (this.agent.isDone())
        return this.#finish('done', `Assigned work done after ${this.#iterations} session(s).`)

      const verdict = this.#decide(end.failure, stoppedBy)
      if (verdict.kind === 'stop') return this.#finish(verdict.outcome, verdict.message)
      const isLast =
        options.maxIterations !== undefined && this.#iterations >= options.maxIterations
      if (isLast) continue
      try {
        await options.clock.sleep(verdict.delayMs, options.signal)
      } catch {
        return this.#finish('interrupted', 'Stopped while waiting for the next session.')
      }
    }
  }

  /** Runs one session, recording it, its events and its usage in the store. */
  async #session(spec: SessionSpec): Promise<Awaited<ReturnType<typeof watchSession>>> {
    const { store, clock, signal } = this.options
    const sessionId = this.options.newSessionId?.() ?? randomUUID()
    store.sessions.start({
      id: sessionId,
      runId: this.agent.runId ?? null,
      agentId: this.agent.agentId,
      role: this.agent.role,
      featureIds: this.#featureIds,
      model: spec.model,
    })
    const watched = await watchSession(this.options.runtime.start({ ...spec, signal }), {
      clock,
      limits: this.#limits,
      signal,
      onEvent: (event) => {
        store.events.append(event)
        if (event.type === 'agent.usage') {
          store.sessions.addUsage(sessionId, event.usage)
          this.#usage = addUsage(this.#usage, event.usage)
        }
      },
    })
    const { end, stoppedBy } = watched
    store.sessions.finish(sessionId, stoppedBy ?? end.failure?.kind ?? end.status)
    return watched
  }

  #decide(failure: SessionFailure | null, stoppedBy: StopReason | null): Verdict {
    const { store } = this.options
    const { agentId } = this.agent
    if (stoppedBy === 'idle' || stoppedBy === 'wall_clock') {
      const what =
        stoppedBy === 'idle'
          ? `sent nothing for ${this.#limits.idleTimeoutMs / 1000} s`
          : `ran longer than ${this.#limits.sessionTimeoutMs / 1000} s`
      store.events.append({
        type: 'agent.error',
        agentId,
        code: stoppedBy === 'idle' ? 'IDLE_TIMEOUT' : 'SESSION_TIMEOUT',
        message: `The session ${what} and was interrupted.`,
      })
      return this.#onError('timeout', `The last session ${what}.`)
    }
    // No failure, or the session worked until its turn budget ran out: carry on with a fresh context.
    if (failure === null || failure.kind === 'max_turns') {
      this.#errors = 0
      this.#rateLimits = 0
      return { kind: 'continue', delayMs: this.#continueMs() }
    }
    if (failure.kind === 'rate_limit' || failure.kind === 'overloaded') {
      this.#errors = 0
      const seconds =
        failure.retryAfterMs !== null && failure.retryAfterMs > 0
          ? clampRetryAfter(Math.ceil(failure.retryAfterMs / 1000))
          : rateLimitBackoff(this.#rateLimits, this.options.random ?? Math.random)
      this.#rateLimits += 1
      const { status } = failure
      const retryAfterMs = seconds * 1000
      store.events.append({ type: 'agent.rate_limited', agentId, status, retryAfterMs })
      return { kind: 'continue', delayMs: retryAfterMs }
    }
    this.#rateLimits = 0
    store.events.append({
      type: 'agent.error',
      agentId,
      code: `SESSION_${failure.kind.toUpperCase()}`,
      message: failure.message,
    })
    if (FATAL.has(failure.kind))
      return { kind: 'stop', outcome: 'error', message: fatalMessage(failure) }
    return this.#onError('error', failure.message)
  }

  #continueMs(): number {
    return this.options.autoContinueDelayMs ?? AUTO_CONTINUE_DELAY_SECONDS * 1000
  }

  #onError(outcome: AgentOutcome, message: string): Verdict {
    this.#errors += 1
    const maxErrors = this.options.maxConsecutiveErrors ?? 3
    if (this.#errors > maxErrors)
      return {
        kind: 'stop',
        outcome,
        message: `Gave up after ${this.#errors} failed sessions in a row. ${message}`,
      }
    return { kind: 'continue', delayMs: errorBackoff(this.#errors) * 1000 }
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
