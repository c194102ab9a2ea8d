import type { z } from 'zod'

import type { EffectiveSettings, RunStartBody, RunStatusView } from '../core/api/index.js'
import { err, ok } from '../core/index.js'
import type { Clock, Feature, Result } from '../core/index.js'
import { effectiveSettings, readProjectStatus, setUpRun } from '../orchestrator/index.js'
import type {
  AgentLauncher,
  FinishReason,
  Orchestrator,
  RunSettingsInput,
  SdkLauncherOptions,
  WorkspacePort,
} from '../orchestrator/index.js'
import { answerFeature, liveLock } from '../store/index.js'
import type { ProjectStore } from '../store/index.js'
import type { OpenProject, ProjectHub } from './project-hub.js'
import type { ServerError } from './error-codes.js'

/** Simulated parts of a run (tests): who runs the agents and where they work. */
export interface RunParts {
  launcher: AgentLauncher
  workspace: WorkspacePort
}

export interface RunPartsInput {
  open: OpenProject
}

/** Replaces Claude Code agents and git worktrees (tests plug simulated agents in here). */
export type RunPartsFactory = (input: RunPartsInput) => Promise<Result<RunParts, ServerError>>

export interface RunManagerOptions {
  hub: ProjectHub
  clock: Clock
  /** Our environment: provider variables and what model processes inherit. */
  env: Readonly<Record<string, string | undefined>>
  /** The user's home (an existing Claude Code login). */
  home: string
  autocoderHome: string
  parts?: RunPartsFactory
  /** A run ended (the scheduler restarts crashed runs inside their window). */
  onRunEnded?: (project: string, reason: FinishReason) => void
  /** Anything else for every run (tests: short leases). */
  settings?: RunSettingsInput
  /** Extra options of the SDK launcher (the offline demo: prompt markers, session limits). */
  launcher?: Partial<SdkLauncherOptions>
}

interface ActiveRun {
  orchestrator: Orchestrator
  done: Promise<void>
}

/**
 * One orchestrator per project, in this process (DESIGN principle 1). A second start is refused;
 * the project lock in the database also refuses a start while another process (`autocoder run`)
 * holds the project.
 */
export class RunManager {
  readonly #runs = new Map<string, ActiveRun>()
  readonly #starting = new Set<string>()
  readonly #parts: RunPartsFactory | undefined

  constructor(private readonly options: RunManagerOptions) {
    this.#parts = options.parts
  }

  get(project: string): Orchestrator | undefined {
    return this.#runs.get(project)?.orchestrator
  }

  isActive(project: string): boolean {
    return this.#runs.has(project) || this.#starting.has(project)
  }

  /** Whether any orchestrator (ours or another process's) holds the project now. */
  isHeld(project: string, store: ProjectStore): boolean {
    if (this.isActive(project)) return true
    return liveLock(store.db, this.options.clock.now()) !== null
  }

  /** What a run of this project would use: the provider and each role's model. */
  effectiveSettings(open: OpenProject): z.infer<typeof EffectiveSettings> {
    return effectiveSettings({
      project: open.store.settings.all(),
      global: this.options.hub.registry.settings.all(),
      env: this.options.env,
      home: this.options.home,
    })
  }

  async start(name: string, body: RunStartBody): Promise<Result<RunStatusView, ServerError>> {
    if (this.isActive(name))
      return err(
        'ALREADY_RUNNING',
        `Project ${name} is already running in this server; pause, drain or stop it first.`,
      )
    const opened = this.options.hub.open(name)
    if (!opened.ok) return opened
    this.#starting.add(name)
    try {
      const { store, project } = opened.value
      const parts = this.#parts ? await this.#parts({ open: opened.value }) : undefined
      if (parts && !parts.ok) return parts
      const setup = await setUpRun({
        store,
        request: body,
        globalSettings: this.options.hub.registry.settings.all(),
        currentGlobalSettings: () => this.options.hub.registry.settings.all(),
        env: this.options.env,
        home: this.options.home,
        autocoderHome: this.options.autocoderHome,
        defaultConcurrency: project.defaultConcurrency,
        // The other registered projects stay hidden from this run's agents.
        otherProjects: this.options.hub.registry
          .list()
          .map((other) => other.path)
          .filter((path) => path !== project.path),
        startedBy: 'server',
        waitForAnswers: true,
        clock: this.options.clock,
        settings: this.options.settings,
        launcher: this.options.launcher,
        parts: parts?.value,
      })
      if (!setup.ok) return setup
      const { orchestrator } = setup.value
      const running = orchestrator.run()
      // Answer once the run has begun: one that cannot (locked, a workspace git cannot prepare)
      // answers with the code of what failed, after it released the lock and closed what it opened.
      const begun = await orchestrator.begun()
      if (!begun.ok) {
        await running
        return begun
      }
      const done = running.then(
        (report) => this.#ended(name, report.ok ? report.value.reason : 'error'),
        () => this.#ended(name, 'error'),
      )
      this.#runs.set(name, { orchestrator, done })
      return ok(this.status(name, opened.value.store))
    } finally {
      this.#starting.delete(name)
    }
  }

  #ended(name: string, reason: FinishReason): void {
    this.#runs.delete(name)
    this.options.onRunEnded?.(name, reason)
  }

  #active(name: string): Result<Orchestrator, ServerError> {
    const run = this.#runs.get(name)
    if (run) return ok(run.orchestrator)
    return err('NOT_RUNNING', `Project ${name} has no run in this server; start one first.`)
  }

  pause(name: string): Result<Orchestrator, ServerError> {
    const run = this.#active(name)
    if (run.ok) run.value.pause()
    return run
  }

  resume(name: string): Result<Orchestrator, ServerError> {
    const run = this.#active(name)
    if (run.ok) run.value.resume()
    return run
  }

  drain(name: string, reason?: string): Result<Orchestrator, ServerError> {
    const run = this.#active(name)
    if (run.ok) run.value.drain(reason ?? 'drain requested from the server')
    return run
  }

  stop(name: string, reason?: string): Result<Orchestrator, ServerError> {
    const run = this.#active(name)
    if (run.ok) run.value.stop(reason ?? 'stop requested from the server')
    return run
  }

  setConcurrency(
    name: string,
    change: { coding?: number | undefined; testing?: number | undefined },
  ): Result<Orchestrator, ServerError> {
    const run = this.#active(name)
    if (run.ok)
      run.value.setConcurrency({
        ...(change.coding !== undefined ? { coding: change.coding } : {}),
        ...(change.testing !== undefined ? { testing: change.testing } : {}),
      })
    return run
  }

  /** Answers a `needs_human` question; the run (if any) wakes up and schedules the feature again. */
  answer(
    name: string,
    store: ProjectStore,
    featureId: number,
    text: string,
  ): Result<Feature, ServerError> {
    const run = this.#runs.get(name)
    return run
      ? run.orchestrator.answer(featureId, text)
      : answerFeature(store, featureId, text, { actor: 'operator', by: 'operator' })
  }

  /** Waits until the project's run has ended (immediately when there is none). */
  async finished(name: string): Promise<void> {
    await this.#runs.get(name)?.done
  }

  /** Stops every run and waits for them to release their claims and the lock. */
  async stopAll(reason = 'server shutting down'): Promise<void> {
    const runs = [...this.#runs.values()]
    for (const run of runs) run.orchestrator.stop(reason)
    await Promise.all(runs.map((run) => run.done))
  }

  /** The project's run status: this server's run, another process's, or none. */
  status(name: string, store: ProjectStore): RunStatusView {
    const now = this.options.clock.now()
    const read = readProjectStatus(store, now)
    const models = new Map(read.agents.map((agent) => [agent.agentId, agent.model]))
    const run = this.#runs.get(name)
    const base = {
      project: name,
      stats: read.stats,
      spend: read.spend,
      lastRun: read.lastRun,
      sandbox: read.run?.sandbox ?? null,
    }
    if (run) {
      const status = run.orchestrator.status()
      return {
        ...base,
        owner: 'server',
        runId: status.runId,
        mode: status.mode,
        settings: { ...status.settings },
        agents: status.agents.map((agent) => ({
          agentId: agent.agentId,
          role: agent.role,
          featureIds: [...agent.featureIds],
          startedAt: agent.startedAt,
          phase: agent.phase,
          model: models.get(agent.agentId) ?? null,
        })),
        startedAt: status.startedAt,
        drainReason: status.drainReason,
      }
    }
    if (read.run) {
      return {
        ...base,
        owner: 'external',
        runId: read.run.owner,
        mode: 'running',
        settings: null,
        agents: read.agents.map((agent) => ({ ...agent, phase: 'running' })),
        startedAt: read.run.acquiredAt,
        drainReason: null,
      }
    }
    return {
      ...base,
      sandbox: null,
      owner: 'none',
      runId: null,
      mode: 'idle',
      settings: null,
      agents: [],
      startedAt: null,
      drainReason: null,
    }
  }
}
