import { existsSync } from 'node:fs'
import { join } from 'node:path'

import type { ProjectSummary } from '../../core/api/index.js'
import type { RegisteredProject } from '../../store/index.js'
import { projectDataDir } from '../../store/index.js'
import type { AppServices } from '../services.js'

/** Whether the project has an app spec (ours under .autocoder/prompts, or the reference's at the root). */
export function hasSpec(dir: string): boolean {
  return (
    existsSync(join(projectDataDir(dir), 'prompts', 'app_spec.txt')) ||
    existsSync(join(dir, 'app_spec.txt'))
  )
}

/** A project as lists show it; stats are null when its folder or database is unavailable. */
export function projectSummary(services: AppServices, project: RegisteredProject): ProjectSummary {
  const opened = services.hub.open(project.name)
  const stats = opened.ok ? opened.value.store.features.stats() : null
  return {
    name: project.name,
    path: project.path,
    hasSpec: opened.ok && hasSpec(project.path),
    defaultConcurrency: project.defaultConcurrency,
    createdAt: project.createdAt,
    stats,
    running: opened.ok && services.runs.isHeld(project.name, opened.value.store),
  }
}
