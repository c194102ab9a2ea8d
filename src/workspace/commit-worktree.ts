import { stat } from 'node:fs/promises'
import { join } from 'node:path'

import { withWorktreeAdmin } from './admin-lock.js'
import { WorkspaceFailure } from './errors.js'
import { type GitContext, git, gitOk } from './git.js'
import { canonicalPath, currentBranch, gitPath, listWorktreeEntries } from './repo.js'

/** Git operations that leave a worktree half-done; the first one found is reported. */
export const inProgressMarkers = [
  'rebase-merge',
  'rebase-apply',
  'MERGE_HEAD',
  'CHERRY_PICK_HEAD',
  'REVERT_HEAD',
] as const

/** The worktree that has `branch` checked out, or null. */
export async function worktreeOfBranch(
  projectDir: string,
  branch: string,
  context: GitContext,
): Promise<string | null> {
  const entries = await withWorktreeAdmin(projectDir, () =>
    listWorktreeEntries(projectDir, context),
  )
  const entry = entries.find((candidate) => candidate.branch === branch && !candidate.prunable)
  return entry?.path ?? null
}

/** The in-progress operation of a worktree (for example `MERGE_HEAD`), or null. */
export async function operationInProgress(
  worktreeDir: string,
  context: GitContext,
): Promise<string | null> {
  return operationIn(await gitPath(worktreeDir, '--git-dir', context))
}

export async function operationIn(gitDir: string): Promise<string | null> {
  for (const marker of inProgressMarkers) {
    const found = await stat(join(gitDir, marker)).then(
      () => true,
      () => false,
    )
    if (found) return marker
  }
  return null
}

/**
 * Commits everything uncommitted in an agent's worktree (hooks and signing off: this is plumbing,
 * the check command is the gate). Returns whether there was anything to commit.
 */
export async function commitWorktree(
  worktreeDir: string,
  branch: string,
  message: string,
  context: GitContext,
): Promise<boolean> {
  const head = await worktreeHead(worktreeDir, context)
  const onBranch = head.branch
  if (onBranch !== branch) {
    throw new WorkspaceFailure(
      'WORKTREE_BRANCH_MISMATCH',
      `${await canonicalPath(worktreeDir)} is on ${onBranch ?? 'a detached HEAD'}, not on ${branch}; the agent switched branches, so its work cannot be merged as ${branch}.`,
    )
  }
  const operation = await operationIn(head.gitDir)
  if (operation !== null) {
    throw new WorkspaceFailure(
      'WORKTREE_BUSY',
      `${worktreeDir} has an unfinished git operation (${operation}); the agent must finish or abort it before its work can be merged.`,
    )
  }
  await gitOk(worktreeDir, ['add', '-A'], context)
  const staged = await git(worktreeDir, ['diff', '--cached', '--quiet'], context)
  if (staged.exitCode === 0) return false
  await gitOk(worktreeDir, ['commit', '-q', '--no-verify', '--no-gpg-sign', '-F', '-'], context, {
    input: message,
  })
  return true
}

/**
 * The branch a worktree is on (null when detached) and its git directory, in one git call; an
 * unborn HEAD, which that call cannot resolve, is asked for the usual way.
 */
async function worktreeHead(
  worktreeDir: string,
  context: GitContext,
): Promise<{ branch: string | null; gitDir: string }> {
  const result = await git(
    worktreeDir,
    ['rev-parse', '--absolute-git-dir', '--symbolic-full-name', 'HEAD', '--'],
    context,
  )
  const [gitDir, head] = result.stdout.split('\n')
  // `HEAD` (detached) or a branch; anything else (a ref an agent named HEAD makes it ambiguous)
  // is asked for the usual way.
  if (result.exitCode === 0 && gitDir && (head === 'HEAD' || head?.startsWith('refs/heads/'))) {
    const branch = head.startsWith('refs/heads/') ? head.slice('refs/heads/'.length) : null
    return { branch, gitDir }
  }
  return {
    branch: await currentBranch(worktreeDir, context),
    gitDir: await gitPath(worktreeDir, '--git-dir', context),
  }
}
