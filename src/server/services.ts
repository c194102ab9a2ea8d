import type { Clock } from '../core/index.js'
import type { DevServerManager } from './dev-server/manager.js'
import type { Confinement } from './filesystem/confine.js'
import type { ProjectFeed } from './project-feed.js'
import type { ProjectHub } from './project-hub.js'
import type { RunManager } from './run-manager.js'
import type { Scheduler } from './schedule/scheduler.js'

/** What the project, feature, run, settings, schedule and socket routes work with. */
export interface AppServices {
  hub: ProjectHub
  runs: RunManager
  /** The live event feed of a project (one per open project). */
  feed: (project: string) => ProjectFeed | null
  /** Ends the project's feed (its sockets are closed) and closes its store: before removing it. */
  closeProject: (project: string) => void
  devServers: DevServerManager
  confinement: Confinement
  scheduler: Scheduler
  clock: Clock
}
