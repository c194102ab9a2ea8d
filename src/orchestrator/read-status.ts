import { lockHolderAlive, readProjectStatus as readStatusOf } from '../store/index.js'
import type { OrchestratorLock, ProjectStatus, ProjectStore } from '../store/index.js'

export type { AgentView, ProjectStatus } from '../store/index.js'

/**
 * Reads a project's run status (the store reads it without zod, for `autocoder status`). The run is
 * the lock's holder while its lease lasts and `isAlive(lock)` holds (by default: its process exists).
 */
export function readProjectStatus(
  store: ProjectStore,
  now: number,
  isAlive: (lock: OrchestratorLock) => boolean = lockHolderAlive,
): ProjectStatus {
  return readStatusOf(store.db, now, isAlive)
}
