import { ok } from '../../core/index.js'
import type { Clock, Result } from '../../core/index.js'
import { ChatRepo, ProjectStore } from '../../store/index.js'
import type { ProjectRef, ProjectResolver } from '../projects.js'
import type { ServerError } from '../error-codes.js'

/** A project as the chats use it: where it is, its store and its conversations. */
export interface ChatProject {
  project: ProjectRef
  store: ProjectStore
  chats: ChatRepo
}

/**
 * The project stores of the chats: the server's own when it passes `openStore` (so feature events
 * reach the project WebSocket), else opened on first use, one per project, closed by `closeAll`.
 */
export class ChatStores {
  readonly #own = new Map<string, ProjectStore>()

  constructor(
    private readonly projects: ProjectResolver,
    private readonly clock: Clock,
    private readonly openStore?: (project: ProjectRef) => Result<ProjectStore, ServerError>,
  ) {}

  /** Looks the project up by name and opens its store. */
  async open(name: string): Promise<Result<ChatProject, ServerError>> {
    const project = await this.projects(name)
    if (!project.ok) return project
    const store = this.#store(project.value)
    if (!store.ok) return store
    return ok({
      project: project.value,
      store: store.value,
      chats: new ChatRepo(store.value.db, this.clock),
    })
  }

  /** Closes the stores opened here (not the server's). */
  closeAll(): void {
    for (const store of this.#own.values()) store.close()
    this.#own.clear()
  }

  #store(project: ProjectRef): Result<ProjectStore, ServerError> {
    if (this.openStore) return this.openStore(project)
    const cached = this.#own.get(project.dir)
    if (cached) return ok(cached)
    const opened = ProjectStore.open(project.dir, { clock: this.clock })
    if (opened.ok) this.#own.set(project.dir, opened.value)
    return opened
  }
}
