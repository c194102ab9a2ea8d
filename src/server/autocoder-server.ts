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
  projectDatabasePath,
  Registry,
} from '../store/index.js'
import type { ProjectStore } from '../store/index.js'
import { ScheduleRepo } from '../store/schedule-repo.js'
import type { AutocoderServer } from './app.js'
import { bashPolicyChecker } from './dev-server/bash-policy-checker.js'
import { allCommandCheckers, checkDevServerRunner } from './dev-server/runner-policy.js'
import { ProjectFeed } from './project-feed.js'
import { ProjectHub } from './project-hub.js'
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
  const feeds = new Map<string, { store: ProjectStore; feed: ProjectFeed }>()
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
  scheduler = new Scheduler({
    clock,
    ...(options.schedulerLogger ? { logger: options.schedulerLogger } : {}),
    store: {
      list: () =>
        registry.value.list().flatMap((project) => {
          const opened = hub.open(project.name)
          return opened.ok
            ? new ScheduleRepo(opened.value.store.db, clock, project.name).list()
            : []
        }),
    },
    runner: {
      start: async (schedule): Promise<Result<void>> => {
        const started = await runs.start(schedule.project, runOptions(schedule))
        return started.ok ? ok(undefined) : started
      },
      drain: (schedule) => {
        runs.drain(schedule.project, `schedule ${schedule.id}: window closed`)
        return Promise.resolve()
      },
    },
  })
  const feed = (project: string): ProjectFeed | null => {
    const opened = hub.open(project)
    if (!opened.ok) return null
    const known = feeds.get(project)
    if (known && known.store === opened.value.store) return known.feed
    known?.feed.close()
    const created = new ProjectFeed(opened.value.store, {
      databasePath: projectDatabasePath(opened.value.project.path),
    })
    feeds.set(project, { store: opened.value.store, feed: created })
    return created
  }
  const closeProject = (project: string): void => {
    feeds.get(project)?.feed.end()
    feeds.delete(project)
    hub.close(project)
  }
  let services: AppServices | null = null
  const uiDir = options.uiDir === undefined ? builtUiDir() : options.uiDir
  const running = await startServer({
    ...options,
    token,
    uiDir,
    projects: (name) => hub.resolve(name),
    // A project's dev server: its settings (allowed hosts, the person's acceptance) and the other
    // registered projects hidden.
    devServerSandbox: (project) => {
      const opened = hub.open(project.name)
      const choices = containmentChoices(
        opened.ok ? opened.value.store.settings.all() : undefined,
        registry.value.settings.all(),
      )
      if (!choices.ok) return Promise.resolve(choices)
      return openDevServerSandbox({
        projectDir: project.dir,
        autocoderHome: home,
        env,
        homes: [options.homeDir ?? env['HOME'] ?? homedir()],
        otherProjects: registry.value
          .list()
          .map((other) => other.path)
          .filter((path) => path !== project.dir),
        ...choices.value,
      })
    },
    checkCommand:
      options.checkCommand ??
      allCommandCheckers(checkDevServerRunner, bashPolicyChecker({ autocoderHome: home })),
    // Chats write through the server's own stores, so their feature events reach the project socket.
    chat: {
      autocoderHome: home,
      ...options.chat,
      openStore: (project) => {
        const opened = hub.open(project.name)
        return opened.ok ? ok(opened.value.store) : opened
      },
      globalSettings: () => registry.value.settings.all(),
      startInitializer: async (project, initializer) => {
        const started = await runs.start(project.name, { yolo: initializer.yolo })
        if (started.ok) scheduler.handOver(project.name)
        return started
      },
    },
    configure: (server: AutocoderServer) => {
      services = {
        hub,
        runs,
        feed,
        closeProject,
        devServers: server.devServers,
        confinement: server.confinement,
        scheduler,
        clock,
      }
      registerProjectRoutes(server.api, services)
      registerFeatureRoutes(server.api, services)
      registerFeatureActivityRoutes(server.api, services, { autocoderHome: home })
      registerRunRoutes(server.api, services)
      registerSettingsRoutes(server.api, services)
      registerScheduleRoutes(server.api, services)
      registerProjectSocket(server.api, services)
      if (uiDir === null)
        server.app.get('/', (_request, reply) =>
          reply.type('text/html; charset=utf-8').send(statusPage(server.api.docs.length)),
        )
      server.app.addHook('onClose', async () => {
        await scheduler.stop()
        await runs.stopAll()
        for (const { feed: entry } of feeds.values()) entry.close()
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
