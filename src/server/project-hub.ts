import { existsSync, statSync } from 'node:fs'

import { err, ok } from '../core/index.js'
import type { Clock, Result } from '../core/index.js'
import { ProjectStore } from '../store/index.js'
import type { RegisteredProject, Registry } from '../store/index.js'
import type { ProjectRef } from './projects.js'
import type { ServerError } from './error-codes.js'

/** An open project: its registry entry and its one store connection in this server. */
export interface OpenProject {
  project: RegisteredProject
  store: ProjectStore
}

function notFound(name: string): Result<never, ServerError> {
  return err(
    'PROJECT_NOT_FOUND',
    `No project named "${name.slice(0, 50)}" is registered (or its folder is gone); list projects to find it.`,
  )
}

/**
 * The server's projects: registry lookups and one `ProjectStore` per project, opened on first
 * use and shared by routes, runs and sockets (so the orchestrator's events reach the sockets
 * through the store's in-process bus).
 */
export class ProjectHub {
  readonly #stores = new Map<string, ProjectStore>()

  constructor(
    readonly registry: Registry,
    readonly clock: Clock,
  ) {}

  /** The registered project, if its folder still exists. */
  resolve(name: string): Result<ProjectRef, ServerError> {
    const project = this.registry.get(name)
    if (!project || !isDirectory(project.path)) return notFound(name)
    return ok({ name: project.name, dir: project.path })
  }

  /** The project's store, opened (and migrated) on first use. */
  open(name: string): Result<OpenProject, ServerError> {
    const project = this.registry.get(name)
    if (!project || !isDirectory(project.path)) return notFound(name)
    const cached = this.#stores.get(name)
    if (cached && cached.db.open) return ok({ project, store: cached })
    const opened = ProjectStore.open(project.path, { clock: this.clock })
    if (!opened.ok) return opened
    this.#stores.set(name, opened.value)
    return ok({ project, store: opened.value })
  }

  /** Whether the store is open already (no disk access). */
  isOpen(name: string): boolean {
    return this.#stores.get(name)?.db.open === true
  }

  /** Closes the project's store (before deleting or unregistering it). */
  close(name: string): void {
    this.#stores.get(name)?.close()
    this.#stores.delete(name)
  }

  closeAll(): void {
    for (const name of [...this.#stores.keys()]) this.close(name)
  }
}

function isDirectory(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isDirectory()
  } catch {
    return false
  }
}
