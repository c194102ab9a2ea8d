import type { Schedule, WindowTimes } from '../../core/api/index.js'
import type { Clock, Result } from '../../core/index.js'
import { currentWindow, nextWindow } from './window.js'
import type { ServerError } from '../error-codes.js'

/** Where schedules live (the project store plugs in here). Only enabled ones are acted on. */
export interface ScheduleStore {
  list(): Promise<readonly Schedule[]> | readonly Schedule[]
}

/** What the scheduler asks of the orchestrator. */
export interface ScheduleRunner {
  /** Start a run of the schedule's project with its concurrency and options. `ALREADY_RUNNING` is fine. */
  start(schedule: Schedule, window: WindowTimes): Promise<Result<void, ServerError>>
  /** The window closed: let the run finish in-flight work and claim nothing new. */
  drain(schedule: Schedule): Promise<void>
}

export interface RestartBackoff {
  /** Delay before the first restart after a crash; doubles each further crash in the same window. */
  baseMs: number
  maxMs: number
  /** Crashes in one window after which the scheduler stops restarting. */
  maxRestarts: number
}

export const DEFAULT_RESTART_BACKOFF: RestartBackoff = {
  baseMs: 10_000,
  maxMs: 10 * 60_000,
  maxRestarts: 5,
}

export interface SchedulerLogger {
  info(message: string): void
  warn(message: string): void
}

export interface SchedulerOptions {
  store: ScheduleStore
  runner: ScheduleRunner
  clock: Clock
  backoff?: RestartBackoff
  /** Longest sleep between evaluations, so schedules changed in the store are picked up. */
  maxSleepMs?: number
  logger?: SchedulerLogger
}

/** The window a project's scheduled run belongs to. */
interface Active {
  schedule: Schedule
  window: WindowTimes
  crashes: number
  restartAt: number | null
  /** A person started or stopped the run by hand: no restarts, no drain at the window's end. */
  handsOff: boolean
}

/** `min(base · 2^(n-1), max)` for the n-th crash (1-based). */
export function restartDelayMs(crashes: number, backoff: RestartBackoff): number {
  return Math.min(backoff.baseMs * 2 ** Math.max(0, crashes - 1), backoff.maxMs)
}

const silent: SchedulerLogger = { info: () => undefined, warn: () => undefined }

function widest(
  open: readonly { schedule: Schedule; window: WindowTimes }[],
): { schedule: Schedule; window: WindowTimes } | undefined {
  return [...open].sort((a, b) => b.window.end - a.window.end)[0]
}

/**
 * Starts scheduled runs when their windows open (including windows already open when the server
 * starts), drains them when the last open window of the project closes, and restarts a run that
 * crashed inside its window with capped exponential backoff. `tick()` evaluates the schedules at
 * the clock's current time; `start()` runs it whenever something is due.
 */
export class Scheduler {
  readonly #active = new Map<string, Active>()
  readonly #backoff: RestartBackoff
  readonly #logger: SchedulerLogger
  #schedules: readonly Schedule[] = []
  #ticking: Promise<void> = Promise.resolve()
  #loop: AbortController | null = null
  #sleep: AbortController | null = null

  constructor(private readonly options: SchedulerOptions) {
    this.#backoff = options.backoff ?? DEFAULT_RESTART_BACKOFF
    this.#logger = options.logger ?? silent
  }

  /** Evaluates every enabled schedule now. Calls are serialized. */
  tick(): Promise<void> {
    this.#ticking = this.#ticking
      .then(() => this.#evaluate())
      .catch((error: unknown) => {
        this.#logger.warn(`schedule evaluation failed: ${String(error)}`)
      })
    return this.#ticking
  }

  /** Runs `tick()` now and whenever a window opens or closes or a restart is due. */
  start(): void {
    if (this.#loop) return
    const loop = new AbortController()
    this.#loop = loop
    void this.#run(loop.signal)
  }

  async stop(): Promise<void> {
    this.#loop?.abort()
    this.#loop = null
    await this.#ticking
  }

  /** Re-evaluate now (after schedules changed). */
  wake(): void {
    this.#sleep?.abort()
  }

  /** The orchestrator reports that a project's run ended; a crash inside its window is retried. */
  runEnded(project: string, outcome: 'crashed' | 'finished' | 'stopped'): void {
    const active = this.#active.get(project)
    const now = this.options.clock.now()
    if (!active || active.handsOff || outcome !== 'crashed' || now >= active.window.end) return
    active.crashes += 1
    if (active.crashes > this.#backoff.maxRestarts) {
      this.#logger.warn(
        `run of ${project} crashed ${active.crashes} times in its window; not restarting`,
      )
      active.restartAt = null
      return
    }
    active.restartAt = now + restartDelayMs(active.crashes, this.#backoff)
    this.wake()
  }

  /** A person started or stopped the project's run: leave it alone until the window closes. */
  handOver(project: string): void {
    const active = this.#active.get(project)
    if (active) active.handsOff = true
  }

  /** When the next window opens or closes or a restart is due (ms), or null if nothing is scheduled. */
  nextWakeAt(): number | null {
    const now = this.options.clock.now()
    const times: number[] = []
    for (const schedule of this.#schedules) {
      const window = nextWindow(schedule, now)
      if (window) times.push(window.start > now ? window.start : window.end)
    }
    for (const active of this.#active.values()) {
      times.push(active.window.end)
      if (active.restartAt !== null) times.push(active.restartAt)
    }
    return times.length === 0 ? null : Math.min(...times)
  }

  async #run(signal: AbortSignal): Promise<void> {
    const maxSleep = this.options.maxSleepMs ?? 60_000
    while (!signal.aborted) {
      await this.tick()
      const now = this.options.clock.now()
      const wakeAt = this.nextWakeAt()
      const delay = Math.max(0, Math.min(wakeAt === null ? maxSleep : wakeAt - now, maxSleep))
      const sleep = new AbortController()
      this.#sleep = sleep
      const onStop = (): void => sleep.abort()
      signal.addEventListener('abort', onStop, { once: true })
      await this.options.clock.sleep(delay, sleep.signal).catch(() => undefined)
      signal.removeEventListener('abort', onStop)
    }
  }

  async #evaluate(): Promise<void> {
    const now = this.options.clock.now()
    this.#schedules = (await this.options.store.list()).filter((schedule) => schedule.enabled)
    const projects = new Set([...this.#schedules.map((s) => s.project), ...this.#active.keys()])
    for (const project of projects) {
      const open = this.#schedules
        .filter((schedule) => schedule.project === project)
        .flatMap((schedule) => {
          const window = currentWindow(schedule, now)
          return window ? [{ schedule, window }] : []
        })
      await this.#evaluateProject(project, widest(open), now)
    }
  }

  async #evaluateProject(
    project: string,
    open: { schedule: Schedule; window: WindowTimes } | undefined,
    now: number,
  ): Promise<void> {
    const active = this.#active.get(project)
    if (active && active.window.end > now) {
      // Still inside: a longer overlapping window extends it ("latest end wins").
      if (open && open.window.end > active.window.end)
        Object.assign(active, { schedule: open.schedule, window: open.window })
      if (active.restartAt !== null && now >= active.restartAt) {
        active.restartAt = null
        this.#logger.info(`restarting the run of ${project} after a crash (${active.crashes})`)
        await this.#startRun(active)
      }
      return
    }
    if (active && open && open.window.start <= active.window.end) {
      // An overlapping window took over while no tick ran: the run simply continues.
      Object.assign(active, { schedule: open.schedule, window: open.window })
      return
    }
    if (active) {
      this.#active.delete(project)
      if (!open && !active.handsOff) {
        this.#logger.info(`window of schedule ${active.schedule.id} closed; draining ${project}`)
        await this.options.runner.drain(active.schedule)
      }
    }
    if (!open) return
    const next: Active = { ...open, crashes: 0, restartAt: null, handsOff: false }
    this.#active.set(project, next)
    this.#logger.info(`window of schedule ${open.schedule.id} is open; starting ${project}`)
    await this.#startRun(next)
  }

  async #startRun(active: Active): Promise<void> {
    const started = await this.options.runner.start(active.schedule, active.window)
    if (started.ok || started.error.code === 'ALREADY_RUNNING') return
    this.#logger.warn(
      `scheduled start of ${active.schedule.project} failed: ${started.error.message}`,
    )
    this.runEnded(active.schedule.project, 'crashed')
  }
}
