import { projectDatabasePath } from '../store/index.js'
import type { ProjectStore } from '../store/index.js'
import { ProjectFeed } from './project-feed.js'
import type { ProjectHub } from './project-hub.js'

/** One event feed per open project, made again when the project's store was reopened. */
export class ProjectFeeds {
  readonly #feeds = new Map<string, { store: ProjectStore; feed: ProjectFeed }>()

  constructor(private readonly hub: ProjectHub) {}

  /** The project's feed, or null when the project cannot be opened. */
  feed(project: string): ProjectFeed | null {
    const opened = this.hub.open(project)
    if (!opened.ok) return null
    const known = this.#feeds.get(project)
    if (known && known.store === opened.value.store) return known.feed
    known?.feed.close()
    const created = new ProjectFeed(opened.value.store, {
      databasePath: projectDatabasePath(opened.value.project.path),
    })
    this.#feeds.set(project, { store: opened.value.store, feed: created })
    return created
  }

  /** Ends the project's feed and closes its store (the project is being removed). */
  closeProject(project: string): void {
    this.#feeds.get(project)?.feed.end()
    this.#feeds.delete(project)
    this.hub.close(project)
  }

  closeAll(): void {
    for (const { feed } of this.#feeds.values()) feed.close()
  }
}
