import { ok } from '../core/index.js'
import type { Result } from '../core/index.js'
import type { ProjectStore } from '../store/index.js'
import { LAST_RECORDED_MERGE, ORCHESTRATOR, recordMerged } from './settle.js'
import type { WorkspacePort } from './workspace-port.js'
import type { OrchestratorError } from './error-codes.js'

export interface RecoverySummary {
  /** Claims left by agents of an earlier run, released (feature ids). */
  releasedClaims: number[]
  /** Features found `in_progress` without any claim, put back to `pending`. */
  resetFeatures: number[]
  /** Merge commits that landed before a crash but were not recorded; their features now pass. */
  recoveredMerges: string[]
  /** Agent worktrees and branches removed. */
  removedWorktrees: string[]
}

/**
 * Continues where an earlier run stopped (cleanly or by a crash), while holding the project lock:
 * finishes or abandons an interrupted branch move, records merges that landed but were not
 * recorded, releases every claim (no agent of ours runs yet, and no other orchestrator can), puts
 * orphaned `in_progress` features back to `pending`, and removes every agent worktree.
 */
export async function recoverRun(
  store: ProjectStore,
  workspace: WorkspacePort,
): Promise<Result<RecoverySummary, OrchestratorError>> {
  const pruned = await workspace.recover([])
  if (!pruned.ok) return pruned
  const since = store.settings.get(LAST_RECORDED_MERGE)
  const merges = await workspace.mergesSince(typeof since === 'string' ? since : null)
  if (!merges.ok) return merges
  const recoveredMerges: string[] = []
  for (const merge of merges.value) {
    const recorded = recordMerged(store, {
      agentId: merge.agentId,
      featureIds: merge.featureIds,
      commit: merge.commit,
      recovered: true,
    })
    if (!recorded.ok) return recorded
    recoveredMerges.push(merge.commit)
  }
  const releasedClaims: number[] = []
  for (const agentId of new Set(store.claims.list().map((claim) => claim.agentId))) {
    releasedClaims.push(...store.claims.releaseAgent(agentId, 'its orchestrator is gone'))
  }
  const resetFeatures: number[] = []
  for (const feature of store.features.list()) {
    if (feature.state !== 'in_progress' || store.claims.holder(feature.id)) continue
    const moved = store.features.transition(feature.id, 'pending', {
      by: ORCHESTRATOR,
      actor: 'orchestrator',
      reason: 'no agent holds it',
      from: ['in_progress'],
    })
    if (moved.ok) resetFeatures.push(feature.id)
  }
  return ok({
    releasedClaims,
    resetFeatures,
    recoveredMerges,
    removedWorktrees: pruned.value.removed,
  })
}
