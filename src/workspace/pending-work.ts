import { join } from 'node:path'

import type { Clock } from '../core/index.js'
import { operationIn } from './commit-worktree.js'
import { git, gitContext } from './git.js'
import { agentBranch, assertAgentId, worktreePath } from './layout.js'
import { gitPath, isAncestor, pathExists, resolveCommit } from './repo.js'

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
 * Reads what an agent's checkout holds beyond the project branch, changing nothing in it: status
 * takes none of git's optional locks, so an agent still working there is not disturbed.
 *
 * The agent may still run and can rewrite its worktree's `.git` file and the `commondir` of its
 * admin folder at any moment, so git is not left to find the repository from them (they could
 * name a repository whose config runs programs, such as a clean filter `status` would start here,
 * outside the sandbox): the admin folder and the common directory are given explicitly, from the
 * project's own repository, whose config the agent cannot write.
 */
export async function pendingWork(input: {
  projectDir: string
  agentId: string
  projectBranch: string
  clock?: Clock | undefined
}): Promise<PendingWork> {
  assertAgentId(input.agentId)
  const context = gitContext({ clock: input.clock })
  const { projectDir } = input
  const branch = agentBranch(input.agentId)
  const head = await resolveCommit(projectDir, `refs/heads/${branch}`, context)
  // Asked of that one commit and the full branch name: the agent may commit meanwhile, or make a
  // tag named like a branch, which plain names would resolve to.
  const unmerged =
    head !== null &&
    !(await isAncestor(projectDir, head, `refs/heads/${input.projectBranch}`, context))
  const worktreeDir = worktreePath(projectDir, input.agentId)
  if (!(await pathExists(worktreeDir))) return { uncommitted: false, unmerged, head }
  const common = await gitPath(projectDir, '--git-common-dir', context)
  const admin = join(common, 'worktrees', input.agentId)
  if (!(await pathExists(admin)) || (await operationIn(admin)) !== null)
    return { uncommitted: true, unmerged, head }
  const env = { GIT_DIR: admin, GIT_COMMON_DIR: common, GIT_WORK_TREE: worktreeDir }
  const onBranch = await git(worktreeDir, ['symbolic-ref', '-q', 'HEAD'], context, { env })
  if (onBranch.stdout.trim() !== `refs/heads/${branch}`)
    return { uncommitted: true, unmerged, head }
  const status = await git(
    worktreeDir,
    ['status', '--porcelain', '--untracked-files=all'],
    context,
    { env },
  )
  return { uncommitted: status.exitCode !== 0 || status.stdout.trim() !== '', unmerged, head }
}
