import { readdir, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

import { type Clock, ok, type Result } from '../core/index.js'
import { operationInProgress } from './commit-worktree.js'
import { withWorktreeAdmin } from './admin-lock.js'
import { type WorkspaceError, toWorkspaceError } from './errors.js'
import { type GitContext, git, gitContext, gitOk } from './git.js'
import { agentBranchPrefix, verifyWorktreePath, worktreesDir } from './layout.js'
import { type PublishRecovery, recoverPublish } from './publish.js'
import { canonicalPath, gitPath, listWorktreeEntries } from './repo.js'
import { removeCheckout } from './worktrees.js'

export interface RecoverWorkspaceOptions {
  timeoutMs?: number
  signal?: AbortSignal
  clock?: Clock
  /** A `packed-refs.lock` older than this is left over from a killed git; default 10 s. */
  staleLockMs?: number
}

export interface RecoveryReport {
  /** An interrupted branch move that was finished or abandoned, else null. */
  publish: PublishRecovery | null
  /** `<agentId>: <operation>` for each half-done merge/rebase/cherry-pick aborted in an agent worktree. */
  abortedOperations: string[]
  /** Lock files removed (paths). */
  removedLocks: string[]
}

/**
 * Brings the repository back to a consistent state after autocoder was killed (kill -9) at any point:
 * finishes or abandons an interrupted branch move, removes the verification worktree, aborts
 * half-done operations and stale locks in agent worktrees, and prunes git's worktree metadata.
 * Call it at start, while holding the project lock, before `pruneOrphanWorktrees`.
 */
export async function recoverWorkspace(
  projectDir: string,
  options: RecoverWorkspaceOptions = {},
): Promise<Result<RecoveryReport, WorkspaceError>> {
  const context = gitContext(options)
  try {
    return ok(await withWorktreeAdmin(projectDir, () => recover(projectDir, options, context)))
  } catch (thrown) {
    return { ok: false, error: toWorkspaceError(thrown) }
  }
}

async function recover(
  projectDir: string,
  options: RecoverWorkspaceOptions,
  context: GitContext,
): Promise<RecoveryReport> {
  const clock = options.clock
  const publish = await recoverPublish(projectDir, context)
  await removeCheckout(projectDir, verifyWorktreePath(projectDir), context)
  await gitOk(projectDir, ['worktree', 'prune'], context)
  const commonDir = await gitPath(projectDir, '--git-common-dir', context)
  const removedLocks = [
    ...(await removeLocks(
      join(commonDir, 'refs', 'heads', ...agentBranchPrefix.split('/').filter(Boolean)),
    )),
    ...(await removeIfOlder(
      join(commonDir, 'packed-refs.lock'),
      options.staleLockMs ?? 10_000,
      clock?.now() ?? Date.now(),
    )),
  ]
  const abortedOperations: string[] = []
  const root = await canonicalPath(worktreesDir(projectDir))
  for (const entry of await listWorktreeEntries(projectDir, context)) {
    if (dirname(await canonicalPath(entry.path)) !== root) continue
    const gitDir = await gitPath(entry.path, '--git-dir', context).catch(() => null)
    if (gitDir === null) continue
    removedLocks.push(...(await removeLocks(gitDir, false)))
    const operation = await abortOperation(entry.path, context)
    if (operation !== null) abortedOperations.push(`${basename(entry.path)}: ${operation}`)
  }
  await gitOk(projectDir, ['worktree', 'prune'], context)
  return { publish, abortedOperations, removedLocks }
}

/** Aborts a half-done operation in an agent worktree; returns its name, or null when there was none. */
async function abortOperation(worktreeDir: string, context: GitContext): Promise<string | null> {
  const operation = await operationInProgress(worktreeDir, context)
  if (operation === null) return null
  const command = operation.startsWith('rebase')
    ? 'rebase'
    : operation === 'MERGE_HEAD'
      ? 'merge'
      : operation === 'CHERRY_PICK_HEAD'
        ? 'cherry-pick'
        : 'revert'
  const aborted = await git(worktreeDir, [command, '--abort'], context)
  if (aborted.exitCode !== 0) {
    // The operation's own state is broken (killed mid-write): drop it, then reset the index to HEAD.
    const gitDir = await gitPath(worktreeDir, '--git-dir', context)
    await rm(join(gitDir, operation), { recursive: true, force: true })
    await gitOk(worktreeDir, ['reset', '-q', '--merge'], context).catch(() =>
      gitOk(worktreeDir, ['reset', '-q'], context),
    )
  }
  return operation
}

/** Removes `*.lock` files under `dir` (recursively by default): only for directories we own. */
async function removeLocks(dir: string, recursive = true): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  const removed: string[] = []
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isDirectory() && recursive) removed.push(...(await removeLocks(path)))
    else if (entry.isFile() && entry.name.endsWith('.lock')) {
      await rm(path, { force: true })
      removed.push(path)
    }
  }
  return removed
}

async function removeIfOlder(path: string, ageMs: number, now: number): Promise<string[]> {
  const info = await stat(path).catch(() => null)
  if (info === null || now - info.mtimeMs < ageMs) return []
  await rm(path, { force: true })
  return [path]
}
