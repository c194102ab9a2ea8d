import type { AppError } from '../core/index.js'

/**
 * Codes of the expected failures of the workspace module. Each message names the directory, branch
 * or agent involved and says what to do next.
 */
export const WORKSPACE_ERROR_CODES = [
  /** `git` could not be started or is too old (2.38+ is needed for `merge-tree --write-tree`). */
  'GIT_UNAVAILABLE',
  /** A git command failed in an unexpected way; the message carries its stderr. */
  'GIT_FAILED',
  /** A git command or the check ran past its timeout and was killed. */
  'TIMEOUT',
  /** The caller's AbortSignal fired. */
  'ABORTED',
  /** The project directory does not exist or is not a directory. */
  'NOT_A_DIRECTORY',
  /** The project directory is a bare repository: there is no working tree to build in. */
  'BARE_REPOSITORY',
  /** The project checkout has a detached HEAD, so there is no project branch. */
  'DETACHED_HEAD',
  /** The project checkout is on an agent branch (`autocoder/...`), not on a project branch. */
  'AGENT_BRANCH',
  /** An agent id is not usable as a directory and branch name. */
  'INVALID_AGENT_ID',
  /** A branch that the operation needs does not exist. */
  'BRANCH_NOT_FOUND',
  /** The agent's worktree is mid-merge/rebase or has unmerged paths; it cannot be committed. */
  'WORKTREE_BUSY',
  /** The worktree given for a merge is not on the branch that was named. */
  'WORKTREE_BRANCH_MISMATCH',
  /** The user's checkout of the project branch has uncommitted changes in files the merge touches. */
  'CHECKOUT_CONFLICT',
  /** The project branch is being rebased (or similar) in a checkout; it must not move under it. */
  'CHECKOUT_BUSY',
  /** The project branch kept moving while a merge was being verified (other writers). */
  'BRANCH_MOVED',
  /** The merge queue was closed before this request ran. */
  'QUEUE_CLOSED',
] as const
export type WorkspaceErrorCode = (typeof WORKSPACE_ERROR_CODES)[number]

export type WorkspaceError = AppError<WorkspaceErrorCode>

/** Internal: thrown inside the module, turned into a `Result` or an outcome at the public edge. */
export class WorkspaceFailure extends Error {
  constructor(
    readonly code: WorkspaceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'WorkspaceFailure'
  }
}

/** Converts anything thrown inside the module into a `WorkspaceError` value. */
export function toWorkspaceError(thrown: unknown): WorkspaceError {
  if (thrown instanceof WorkspaceFailure) return { code: thrown.code, message: thrown.message }
  const message = thrown instanceof Error ? thrown.message : String(thrown)
  return { code: 'GIT_FAILED', message, cause: thrown }
}
