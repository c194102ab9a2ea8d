import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

import { containmentChoices, openDevServerSandbox } from '../agents/index.js'
import { RunStartBody } from '../core/api/index.js'
import type { Schedule } from '../core/api/index.js'
import { ok, systemClock } from '../core/index.js'
import type { Clock, Result } from '../core/index.js'
import type { FinishReason, RunSettingsInput, SdkLauncherOptions } from '../orchestrator/index.js'
import {
  autocoderHome as defaultAutocoderHome,
  loadServerToken,
  Registry,
  ScheduleRepo,
} from '../store/index.js'
import type { AutocoderServer } from './app.js'
import { bashPolicyChecker } from './dev-server/bash-policy-checker.js'
import type { DevServerSandboxOpener } from './dev-server/manager.js'
import { allCommandCheckers, checkDevServerRunner } from './dev-server/runner-policy.js'
import { ProjectFeeds } from './project-feeds.js'
import { ProjectHub } from './project-hub.js'
import type { ProjectRef } from './projects.js'
import { registerFeatureActivityRoutes } from './routes/feature-activity.js'
import { registerFeatureRoutes } from './routes/features.js'
import { registerProjectSocket } from './routes/project-socket.js'
import { registerProjectRoutes } from './routes/projects.js'
import { registerRunRoutes } from './routes/runs.js'
import { registerScheduleRoutes } from './routes/schedules.js'
import { registerSettingsRoutes } from './routes/settings.js'
import { statusPage } from './routes/status-page.js'
import { RunManager } from './run-manager.js'
import type { RunPartsFactory } from './run-manager.js'
import { Scheduler } from './schedule/scheduler.js'
import type { SchedulerLogger } from './schedule/scheduler.js'
import type { AppServices } from './services.js'
import type { RunningServer, StartOptions } from './start.js'
import { startServer } from './start.js'
import type { ServerError } from './error-codes.js'

export interface AutocoderServerOptions extends Omit<StartOptions, 'projects' | 'configure'> {
  /**
   * `$AUTOCODER_HOME` (registry, organisation policy, the server token); default from the
   * environment. Without `token`, the token kept in `<home>/server-token` is used (made once).
   */
  autocoderHome?: string
  /** Builds each run's launcher and workspace (default: the SDK launcher and git worktrees). */
  runParts?: RunPartsFactory
  /** Extra run settings for every run (tests: short leases). */
  runSettings?: RunSettingsInput
  schedulerLogger?: SchedulerLogger
  /** Extra options of the SDK launcher (the offline demo: prompt markers, session limits). */
  launcher?: Partial<SdkLauncherOptions>
}

/** The running autocoder server with its services (tests reach into them). */
export interface AutocoderApp extends RunningServer {
  services: AppServices
  registry: Registry
}

/** The built UI shipped with the package, or null when it has not been built. */
export function builtUiDir(): string | null {
  const dir = join(import.meta.dirname, '..', '..', 'ui', 'dist')
  return existsSync(join(dir, 'index.html')) ? dir : null
}

function runOptions(schedule: Schedule): RunStartBody {
  const parsed = RunStartBody.safeParse({ ...schedule.options, concurrency: schedule.concurrency })
  return parsed.success ? parsed.data : { concurrency: schedule.concurrency }
}

function outcomeOf(reason: FinishReason): 'crashed' | 'finished' | 'stopped' {
  if (reason === 'error') return 'crashed'
  return reason === 'stopped' ? 'stopped' : 'finished'
}

/** Runs the project's schedules: each window starts a run and drains it when it closes. */
function createScheduler(input: {
  registry: Registry
  hub: ProjectHub
  runs: RunManager
  clock: Clock
  logger: SchedulerLogger | undefined
}): Scheduler {
  const { registry, hub, runs, clock } = input
  return new Scheduler({
    clock,
    ...(input.logger ? { logger: input.logger } : {}),
    store: {
      list: () =>
        registry.list().flatMap((project) => {
          const opened = hub.open(project.name)
          return opened.ok
            ? new ScheduleRepo(opened.value.store.db, clock, project.name).list()
            : []
        }),
    },
    runner: {
      start: async (schedule): Promise<Result<void, ServerError>> => {
        const started = await runs.start(schedule.project, runOptions(schedule))
        return started.ok ? ok(undefined) : started
      },
      drain: (schedule) => {
        runs.drain(schedule.project, `schedule ${schedule.id}: window closed`)
        return Promise.resolve()
      },
    },
  })
}

/**
 * A project's dev server sandbox: its settings (allowed hosts, the person's acceptance) and the
 * other registered projects hidden.
 */
function devServerSandbox(
  project: ProjectRef,
  input: {
    hub: ProjectHub
    registry: Registry
    autocoderHome: string
    env: NodeJS.ProcessEnv
    homeDir: string | undefined
  },
): ReturnType<DevServerSandboxOpener> {
  const { hub, registry, env } = input
  const opened = hub.open(project.name)
  const choices = containmentChoices(
    opened.ok ? opened.value.store.settings.all() : undefined,
    registry.settings.all(),
  )
  if (!choices.ok) return Promise.resolve(choices)
  return openDevServerSandbox({
    projectDir: project.dir,
    autocoderHome: input.autocoderHome,
    env,
    homes: [input.homeDir ?? env['HOME'] ?? homedir()],
    otherProjects: registry
      .list()
      .map((other) => other.path)
      .filter((path) => path !== project.dir),
    ...choices.value,
  })
}

/** The product's routes on the infrastructure server (a status page at / without a built UI). */
function registerAppRoutes(
  server: AutocoderServer,
  services: AppServices,
  input: { autocoderHome: string; uiDir: string | null },
): void {
  registerProjectRoutes(server.api, services)
  registerFeatureRoutes(server.api, services)
  registerFeatureActivityRoutes(server.api, services, { autocoderHome: input.autocoderHome })
  registerRunRoutes(server.api, services)
  registerSettingsRoutes(server.api, services)
  registerScheduleRoutes(server.api, services)
  registerProjectSocket(server.api, services)
  if (input.uiDir === null)
    server.app.get('/', (_request, reply) =>
      reply.type('text/html; charset=utf-8').send(statusPage(server.api.docs.length)),
    )
}

/**
 * The chats write through the server's own stores, so their feature events reach the project
 * socket, and start the initializer through the run manager.
 */
function chatOptions(
  given: StartOptions['chat'],
  input: {
    hub: ProjectHub
    registry: Registry
    runs: RunManager
    scheduler: Scheduler
    home: string
  },
): NonNullable<StartOptions['chat']> {
  const { hub, runs, scheduler } = input
  return {
    autocoderHome: input.home,
    ...given,
    openStore: (project) => {
      const opened = hub.open(project.name)
      return opened.ok ? ok(opened.value.store) : opened
    },
    globalSettings: () => input.registry.settings.all(),
    startInitializer: async (project, initializer) => {
      const started = await runs.start(project.name, { yolo: initializer.yolo })
      if (started.ok) scheduler.handOver(project.name)
      return started
    },
  }
}

function serverToken(home: string): string {
  const loaded = loadServerToken(home)
  if (!loaded.ok) throw new Error(loaded.error.message)
  return loaded.value.token
}

/**
 * Starts the whole server: the infrastructure routes plus projects, features, runs, settings,
 * schedules and the project event socket, one orchestrator per project in this process, and the
 * scheduler. Closing it stops the scheduler and every run (releasing claims) before the store
 * connections close.
 */
export async function startAutocoderServer(
  options: AutocoderServerOptions = {},
): Promise<AutocoderApp> {
  const env = options.env ?? process.env
  const clock: Clock = options.clock ?? systemClock
  const home = options.autocoderHome ?? defaultAutocoderHome(env)
  const token = options.token ?? serverToken(home)
  const registry = Registry.open(home, clock)
  if (!registry.ok) throw new Error(registry.error.message)
  const hub = new ProjectHub(registry.value, clock)
  const feeds = new ProjectFeeds(hub)
  let scheduler: Scheduler | null = null
  const runs = new RunManager({
    hub,
    clock,
    env,
    home: options.homeDir ?? env['HOME'] ?? homedir(),
    autocoderHome: home,
    ...(options.runParts ? { parts: options.runParts } : {}),
    ...(options.runSettings ? { settings: options.runSettings } : {}),
    ...(options.launcher ? { launcher: options.launcher } : {}),
    onRunEnded: (project, reason) => scheduler?.runEnded(project, outcomeOf(reason)),
  })
  scheduler = createScheduler({
    registry: registry.value,
    hub,
    runs,
    clock,
    logger: options.schedulerLogger,
  })
  let services: AppServices | null = null
  const uiDir = options.uiDir === undefined ? builtUiDir() : options.uiDir
  const running = await startServer({
    ...options,
    token,
    uiDir,
    projects: (name) => hub.resolve(name),
    // A project's dev server: its settings (allowed hosts, the person's acceptance) and the other
    // registered projects hidden.
    devServerSandbox: (project) =>
      devServerSandbox(project, {
        hub,
        registry: registry.value,
        autocoderHome: home,
        env,
        homeDir: options.homeDir,
      }),
    checkCommand:
      options.checkCommand ??
      allCommandCheckers(checkDevServerRunner, bashPolicyChecker({ autocoderHome: home })),
    // Chats write through the server's own stores, so their feature events reach the project socket.
    chat: chatOptions(options.chat, { hub, registry: registry.value, runs, scheduler, home }),
    configure: (server: AutocoderServer) => {
      services = {
        hub,
        runs,
        feed: (project) => feeds.feed(project),
        closeProject: (project) => feeds.closeProject(project),
        devServers: server.devServers,
        confinement: server.confinement,
        scheduler,
        clock,
      }
      registerAppRoutes(server, services, { autocoderHome: home, uiDir })
      server.app.addHook('onClose', async () => {
        await scheduler.stop()
        await runs.stopAll()
        feeds.closeAll()
        hub.closeAll()
        registry.value.close()
      })
    },
  }).catch((error: unknown) => {
    registry.value.close()
    throw error
  })
  scheduler.start()
  if (services === null) return Promise.reject(new Error('server routes were not configured'))
  return { ...running, services, registry: registry.value }
}
