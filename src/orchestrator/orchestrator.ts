import { UNSANDBOXED_WARNING } from '../agents/index.js'
import type { Feature, Result } from '../core/index.js'
import { isDone, err, ok } from '../core/index.js'
import { answerFeature } from '../store/index.js'
import type { ProjectStore } from '../store/index.js'
import { AgentPool } from './agent-pool.js'
import { deadlockReport } from './deadlock.js'
import { normalizeRunSettings, resolveEnvironment } from './options.js'
import type { RunEnvironment, RunSettings } from './options.js'
import { recoverRun } from './recovery.js'
import type { RecoverySummary } from './recovery.js'
import { INITIAL_LIFECYCLE, transition } from './run-lifecycle.js'
import type { Finish, RunAction, RunLifecycle } from './run-lifecycle.js'
import { elapsed, repeatEvery } from './run-timers.js'
import { recordFinish } from './run-report.js'
import type { OrchestratorOptions, RunReport, RunStatus } from './run-types.js'
import { ORCHESTRATOR, recordRestored } from './settle.js'
import { settledOnce } from './settled-once.js'
import { WakeSignal } from './wake-signal.js'
import type { WorkspacePort } from './workspace-port.js'
import type { OrchestratorError } from './error-codes.js'

/**
 * The run loop of one project: starts the initializer on an empty board, then keeps the coding
 * and testing slots full, claims before any agent starts, merges verified work one batch at a time
 * and stops when every feature passes or is skipped, on a deadlock, a budget, or a request.
 * Event-driven: it wakes on store events, agent ends and its own timers, never by polling.
 * Its lifecycle (mode, drain, stop) changes only through `transition` (run-lifecycle.ts).
 */
export class Orchestrator {
  readonly runId: string
  readonly #store: ProjectStore
  readonly #workspace: WorkspacePort
  readonly #env: RunEnvironment
  readonly #options: OrchestratorOptions
  #settings: RunSettings
  #life: RunLifecycle = INITIAL_LIFECYCLE
  readonly #agents: AgentPool
  readonly #wakeSignal = new WakeSignal()
  #startedAt: number | null = null
  #initializerRan = false
  readonly #timers = new AbortController()
  #leaseTimer: AbortController | null = null
  #lastSeenEvent = 0
  readonly #begun = settledOnce<Result<void, OrchestratorError>>()

  constructor(options: OrchestratorOptions) {
    this.#options = options
    this.#store = options.store
    this.#workspace = options.workspace
    this.#env = resolveEnvironment(options.environment)
    this.#settings = normalizeRunSettings(options.settings)
    this.runId = `run-${this.#env.newId()}`
    this.#agents = new AgentPool({
      store: options.store,
      workspace: options.workspace,
      launcher: options.launcher,
      clock: this.#env.clock,
      runId: this.runId,
      basePort: options.basePort ?? 4100,
      initializerFeatureCount: options.initializerFeatureCount,
      settings: () => this.#settings,
      wake: () => this.#wake(),
      log: (level, text) => this.#log(level, text),
    })
  }

  /**
   * Runs to the end. Refuses (PROJECT_LOCKED, naming the holder) when another orchestrator runs
   * this project; any other failure ends the run with reason `error` and the failure's code in the
   * report (`code`). The lock is taken before the first await: right after calling,
   * `status().mode` is still `idle` only if it was refused. `begun()` tells when it has started.
   */
  async run(): Promise<Result<RunReport, OrchestratorError>> {
    if (this.#life.mode !== 'idle')
      return err('RUN_STARTED', `Run ${this.runId} was already started; create a new Orchestrator.`)
    const isAlive = this.#env.isAlive ?? (() => true)
    const lock = this.#store.locks.acquire(
      { owner: this.runId, pid: this.#env.pid, host: this.#env.host },
      this.#settings.lockLeaseMs,
      (holder) => holder.host !== this.#env.host || isAlive(holder.pid),
    )
    if (!lock.ok) {
      this.#begun.settle(lock)
      return lock
    }
    this.#dispatch({ type: 'start' })
    this.#startedAt = this.#env.clock.now()
    const unsubscribe = this.#store.events.subscribe((event) => {
      if (event.type === 'agent.started') {
        const agent = this.#agents.get(event.agentId)
        if (agent) agent.model = event.model
      }
      if (event.type.startsWith('feature.') || event.type === 'agent.usage') this.#wake()
      this.#agents.observe(event)
    })
    let recovery: RecoverySummary | null = null
    let finish: Finish
    try {
      const begun = await this.#begin()
      this.#begun.settle(begun.ok ? ok(undefined) : begun)
      if (begun.ok) {
        recovery = begun.value
        finish = await this.#loop()
      } else {
        const { code, message } = begun.error
        finish = { reason: 'error', message: `Orchestrator error: ${message}`, code }
      }
    } catch (error) {
      finish = { reason: 'error', message: `Orchestrator error: ${(error as Error).message}` }
      this.#begun.settle(err('RUN_FAILED', finish.message))
      await this.#abortAll(finish.message)
    } finally {
      this.#timers.abort()
      this.#leaseTimer?.abort()
      unsubscribe()
    }
    const restored = await this.#workspace.close().catch(() => [])
    recordRestored(this.#store, restored, 'at the end of the run')
    this.#dispatch({ type: 'finish' })
    const report = recordFinish(this.#store, this.runId, finish, recovery)
    this.#store.locks.release(this.runId)
    return ok(report)
  }

  get store(): ProjectStore {
    return this.#store
  }

  /**
   * Settles once `run()` has begun (lock taken, workspace prepared, earlier run recovered) or could
   * not, then with the code of what failed (PROJECT_LOCKED, GIT_FAILED, ...).
   */
  begun(): Promise<Result<void, OrchestratorError>> {
    return this.#begun.promise
  }

  /** Starts nothing new until `resume`; running agents go on. */
  pause(): void {
    this.#dispatch({ type: 'pause' })
  }

  resume(): void {
    this.#dispatch({ type: 'resume' })
  }

  /** Lets running agents finish, starts nothing new, then ends the run. */
  drain(message = 'drain requested'): void {
    this.#dispatch({ type: 'drain', reason: 'drained', message })
  }

  /** Interrupts every agent, releases their claims and ends the run. */
  stop(message = 'stop requested'): void {
    this.#dispatch({ type: 'stop', message })
  }

  /** Changes the number of coding and/or testing slots while running. */
  setConcurrency(change: { coding?: number; testing?: number }): RunSettings {
    this.#settings = normalizeRunSettings({
      ...this.#settings,
      concurrency: change.coding ?? this.#settings.concurrency,
      testingAgents: change.testing ?? this.#settings.testingAgents,
    })
    this.#store.events.append({
      type: 'run.concurrency',
      runId: this.runId,
      coding: this.#settings.concurrency,
      testing: this.#settings.testingAgents,
    })
    this.#wake()
    return this.#settings
  }

  /** Answers the question of a feature waiting for a person; it becomes pending again. */
  answer(featureId: number, text: string): Result<Feature, OrchestratorError> {
    const answered = answerFeature(this.#store, featureId, text, {
      actor: 'operator',
      by: 'operator',
    })
    this.#wake()
    return answered
  }

  status(): RunStatus {
    return {
      runId: this.runId,
      mode: this.#life.mode,
      settings: this.#settings,
      stats: this.#store.features.stats(),
      agents: this.#agents.agents().map(({ controller: _controller, ...agent }) => agent),
      spend: this.#store.sessions.totals(this.runId),
      startedAt: this.#startedAt,
      drainReason: this.#life.drain?.message ?? null,
    }
  }

  // ---- the lifecycle ---------------------------------------------------------------------------

  /** Applies a lifecycle action and what follows from it (events, interrupts, a wake-up). */
  #dispatch(action: RunAction): void {
    const before = this.#life
    const after = transition(before, action)
    if (after === before) return
    this.#life = after
    const { runId } = this
    switch (action.type) {
      case 'start':
      case 'finish':
        return
      case 'pause':
        this.#store.events.append({ type: 'run.paused', runId })
        break
      case 'resume':
        this.#store.events.append({ type: 'run.resumed', runId })
        break
      case 'drain':
        if (this.#startedAt !== null)
          this.#store.events.append({ type: 'run.draining', runId, reason: action.message })
        break
      case 'stop':
        if (after.mode !== 'stopping') return
        this.#agents.interruptAll(action.message)
        break
    }
    this.#wake()
  }

  /** Prepares the workspace, recovers from an earlier run and starts the run's timers. */
  async #begin(): Promise<Result<RecoverySummary, OrchestratorError>> {
    const { sandbox } = this.#options
    this.#store.events.append({
      type: 'run.started',
      runId: this.runId,
      options: { ...this.#settings, ...this.#options.describe },
      ...(sandbox ? { sandbox } : {}),
    })
    if (sandbox === 'unsandboxed')
      this.#store.events.append({
        type: 'run.unsandboxed',
        runId: this.runId,
        message: UNSANDBOXED_WARNING,
      })
    const prepared = await this.#workspace.prepare()
    if (!prepared.ok) return prepared
    const left = prepared.value.restored
    recordRestored(this.#store, left, 'at the start of the run, left by one that stopped')
    const recovered = await recoverRun(this.#store, this.#workspace)
    if (!recovered.ok) return recovered
    const { clock } = this.#env
    void repeatEvery(
      clock,
      () => this.#settings.heartbeatMs,
      this.#timers.signal,
      () => this.#heartbeat(),
    )
    if (this.#settings.maxHours !== null) {
      const ms = this.#settings.maxHours * 3_600_000
      void elapsed(clock, ms, this.#timers.signal).then((reached) => {
        const message = `Time budget reached: the run has lasted ${ms / 3_600_000} h (--max-hours).`
        if (reached) this.#beginDrain('budget', message)
      })
    }
    return recovered
  }

  #beginDrain(reason: Finish['reason'], message: string): void {
    this.#dispatch({ type: 'drain', reason, message })
  }

  // ---- the loop --------------------------------------------------------------------------------

  async #loop(): Promise<Finish> {
    for (;;) {
      const finish = this.#step()
      if (finish) return finish
      await this.#wakeSignal.next()
    }
  }

  /** One scheduling pass: starts what may start; returns how the run ends once it does. */
  #step(): Finish | null {
    const busy = this.#agents.size
    const { stopRequested } = this.#life
    if (stopRequested !== null && this.#life.mode !== 'stopping') this.stop(stopRequested)
    if (this.#life.mode === 'stopping') {
      return busy === 0
        ? { reason: 'stopped', message: `Stopped: ${this.#life.stopRequested ?? 'requested'}.` }
        : null
    }
    const { fatal } = this.#agents
    if (fatal !== null) this.#beginDrain('error', fatal)
    this.#checkCost()
    if (this.#life.mode === 'draining') return busy === 0 ? this.#life.drain : null

    const features = this.#store.features.list()
    if (features.length === 0) return this.#stepInitializer(busy)
    // Coders branch from the project branch: none starts before the initializer's scaffold is merged.
    if (this.#agents.agents().some((agent) => agent.role === 'initializer')) return null
    const remaining = features.filter((feature) => !isDone(feature.state))
    if (remaining.length === 0) {
      return busy === 0
        ? { reason: 'complete', message: `All ${features.length} features are done.` }
        : null
    }
    if (this.#life.mode === 'paused') return null

    this.#agents.startCoding(features)
    // Testers run only alongside coding work: on a board where no coder can progress they would
    // keep the run busy (and spending) forever instead of letting it stop with a report.
    if (this.#agents.agents().some((agent) => agent.role !== 'testing')) {
      if (!this.#options.yolo && this.#life.mode === 'running') this.#agents.startTesting(features)
      return null
    }
    if (busy > 0) return null
    if (this.#waitForForeignClaims()) return null
    if (
      this.#settings.waitForAnswers &&
      remaining.some((feature) => feature.state === 'needs_human')
    )
      return null
    const report = deadlockReport(features)
    return { reason: 'deadlock', message: report.message, deadlock: report }
  }

  #stepInitializer(busy: number): Finish | null {
    if (this.#initializerRan) {
      return busy === 0
        ? {
            reason: 'error',
            message:
              'The initializer ended without creating any feature; check its log, then run again.',
          }
        : null
    }
    if (busy > 0 || this.#life.mode === 'paused') return null
    this.#initializerRan = true
    this.#agents.launch('initializer', [])
    return null
  }

  /** Claims that agents outside this run hold (e.g. through `autocoder mcp`): wait for their leases. */
  #waitForForeignClaims(): boolean {
    const foreign = this.#store.claims.list().filter((claim) => !this.#agents.get(claim.agentId))
    if (foreign.length === 0) return false
    const until = Math.min(...foreign.map((claim) => claim.leaseUntil))
    this.#leaseTimer?.abort()
    const timer = new AbortController()
    this.#leaseTimer = timer
    this.#env.clock
      .sleep(Math.max(until - this.#env.clock.now(), 0) + 1, timer.signal)
      .then(() => {
        this.#store.claims.reclaimExpired()
        this.#wake()
      })
      .catch(() => undefined)
    return true
  }

  #checkCost(): void {
    const max = this.#settings.maxCostUsd
    if (max === null) return
    const spent = this.#store.sessions.totals(this.runId).costUsd
    if (spent >= max)
      this.#beginDrain(
        'budget',
        `Budget reached: spent $${spent.toFixed(2)} of $${max.toFixed(2)} (--max-cost).`,
      )
  }

  async #abortAll(message: string): Promise<void> {
    this.#agents.interruptAll(message)
    while (this.#agents.size > 0) await this.#wakeSignal.next()
  }

  // ---- timers and wake-ups ---------------------------------------------------------------------

  /** Renews leases and the project lock, reclaims expired claims, notices other processes' changes. */
  #heartbeat(): void {
    this.#agents.heartbeat(this.#settings.leaseMs)
    if (!this.#store.locks.renew(this.runId, this.#settings.lockLeaseMs)) {
      this.#log('error', 'The project lock was taken over by another orchestrator; stopping.')
      this.stop('the project lock was lost')
    }
    if (this.#store.claims.reclaimExpired().length > 0) this.#wake()
    // Another process (autocoder answer, features edits) may have changed the board.
    const lastEvent = this.#store.events.lastId()
    if (lastEvent !== this.#lastSeenEvent) {
      this.#lastSeenEvent = lastEvent
      this.#wake()
    }
  }

  #wake(): void {
    this.#wakeSignal.wake()
  }

  #log(level: 'info' | 'warn' | 'error', text: string): void {
    this.#store.events.append({ type: 'log', source: ORCHESTRATOR, level, text })
  }
}
