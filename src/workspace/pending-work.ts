import type { Clock } from '../core/index.js'
import { operationInProgress } from './commit-worktree.js'
import { git, gitContext } from './git.js'
import { agentBranch, assertAgentId, worktreePath } from './layout.js'
import { currentBranch, pathExists, resolveCommit } from './repo.js'

/** What an agent's checkout holds that the project branch does not have yet. */
export interface PendingWork {
  /**
   * Its worktree has changes no commit holds, an unfinished git operation, or is not on the
   * agent's branch: merging the branch as committed would leave something of its work out.
   */
  uncommitted: boolean
  /** The agent's branch has commits the project branch does not contain. */
  unmerged: boolean
  /** The commit the agent's branch points at (null when it has none). */
  head: string | null
}

/**
 * Reads what an agent's checkout holds beyond the project branch without changing anything in it:
 * status runs without git's optional locks, so an agent still working there is not disturbed.
 * A missing worktree holds nothing uncommitted.
 */
export async function pendingWork(input: {
  projectDir: string
  agentId: string
  projectBranch: string
  clock?: Clock | undefined
}): Promise<PendingWork> {
  assertAgentId(input.agentId)
  const context = gitContext({ clock: input.clock })
  const branch = agentBranch(input.agentId)
  const worktreeDir = worktreePath(input.projectDir, input.agentId)
  const contained = await git(
    input.projectDir,
    ['merge-base', '--is-ancestor', branch, input.projectBranch],
    context,
  )
  const unmerged = contained.exitCode !== 0
  const head = await resolveCommit(input.projectDir, `refs/heads/${branch}`, context)
  if (!(await pathExists(worktreeDir))) return { uncommitted: false, unmerged, head }
  if ((await currentBranch(worktreeDir, context)) !== branch)
    return { uncommitted: true, unmerged, head }
  if ((await operationInProgress(worktreeDir, context)) !== null)
    return { uncommitted: true, unmerged, head }
  const status = await git(
    worktreeDir,
    ['--no-optional-locks', 'status', '--porcelain', '--untracked-files=all'],
    context,
  )
  return { uncommitted: status.exitCode !== 0 || status.stdout.trim() !== '', unmerged, head }
}
