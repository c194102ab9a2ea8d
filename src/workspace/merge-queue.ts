import { stat } from 'node:fs/promises'
import { join } from 'node:path'

import { type Clock, systemClock } from '../core/index.js'
import { withProjectMerge, withWorktreeAdmin } from './admin-lock.js'
import { commitWorktree, worktreeOfBranch } from './commit-worktree.js'
import { type WorkspaceErrorCode, WorkspaceFailure, toWorkspaceError } from './errors.js'
import { type GitContext, defaultGitTimeoutMs } from './git.js'
import { assertAgentId, verifyWorktreePath, worktreePath } from './layout.js'
import { buildMergeCommit } from './merge-commit.js'
import { publishMerge } from './publish.js'
import { requireBranchCommits } from './repo.js'
import { type CheckCommand, type CheckRunner, runCommand } from './run-command.js'
import { VerificationWorktree } from './verification-worktree.js'
import { type NodeModulesMode, removeCheckout } from './worktrees.js'

export interface MergeQueueOptions {
  projectDir: string
  /** The project branch merges land on. */
  branch: string
  /** Run on every merged result before the branch moves; none = merge only. */
  checkCommand?: CheckCommand
  /** Runs the check; inject one that asks the security policy. Default `runCommand` (no shell). */
  runCheck?: CheckRunner
  /** Check timeout; default 10 minutes. */
  timeoutMs?: number
  /** Timeout of each git command; default 60 s. */
  gitTimeoutMs?: number
  clock?: Clock
  /** Dependencies of the verification worktree; default `symlink` (see README). */
  nodeModules?: NodeModulesMode
}

export interface MergeRequest {
  agentId: string
  /** The agent's branch, normally `autocoder/<agentId>`. */
  worktreeBranch: string
  featureIds: readonly number[]
  /** First line = subject of the merge commit; trailers are added. */
  message: string
  /**
   * The agent's worktree, whose uncommitted work is committed first. Default: `worktreePath(agentId)`
   * when it exists, else the worktree that has `worktreeBranch` checked out, if any.
   */
  worktreeDir?: string
  /** Merge without running the check (for example the initializer's scaffold). */
  skipCheck?: boolean
  /**
   * Merge the branch as committed and leave the worktree alone: its agent still works in it (a
   * merge of work it reported done before its session ended).
   */
  leaveWorktree?: boolean
  signal?: AbortSignal
}

export type MergeOutcome =
  | { kind: 'merged'; commit: string; checkOutput?: string }
  | { kind: 'conflict'; files: string[]; detail: string }
  | { kind: 'check_failed'; output: string; exitCode: number | null }
  | { kind: 'error'; code: WorkspaceErrorCode; message: string }

export interface MergeQueue {
  /** Queues a merge; resolves when it has run (merges run one at a time, in order). Never rejects. */
  enqueue(request: MergeRequest): Promise<MergeOutcome>
  /** Requests queued or running. */
  readonly size: number
  /** Refuses new requests, waits for queued ones, removes the verification worktree. */
  close(): Promise<void>
}

const defaultCheckTimeoutMs = 10 * 60_000
/** Rebuild-and-verify attempts when other commits land on the project branch meanwhile. */
const maxAttempts = 3

/** What one merge needs besides its request. */
interface Merger {
  options: MergeQueueOptions
  clock: Clock
  runCheck: CheckRunner
  verification: VerificationWorktree
}

/**
 * A serial merge queue for one project branch. Each request: commit the agent's leftovers, merge the
 * agent branch with the current branch tip into one merge commit (no working tree involved), run the
 * check on that commit in a detached verification worktree, and only then move the branch (and the
 * checkout that has it) to the merge commit.
 */
export function createMergeQueue(options: MergeQueueOptions): MergeQueue {
  const clock = options.clock ?? systemClock
  const merger: Merger = {
    options,
    clock,
    runCheck:
      options.runCheck ??
      ((command, cwd, timeoutMs, signal) => runCommand(command, cwd, timeoutMs, signal, { clock })),
    verification: new VerificationWorktree(options.projectDir, options.nodeModules),
  }
  let tail: Promise<unknown> = Promise.resolve()
  let size = 0
  let closed = false
  return {
    enqueue(request) {
      if (closed) {
        return Promise.resolve({
          kind: 'error',
          code: 'QUEUE_CLOSED',
          message: `The merge queue of ${options.projectDir} is closed; ${request.worktreeBranch} was not merged.`,
        })
      }
      size++
      const outcome = tail.then(() =>
        withProjectMerge(options.projectDir, () => mergeRequest(merger, request)),
      )
      tail = outcome.finally(() => {
        size--
      })
      return outcome
    },
    get size() {
      return size
    },
    async close() {
      closed = true
      await tail
      const context = { timeoutMs: options.gitTimeoutMs ?? defaultGitTimeoutMs, clock }
      const path = verifyWorktreePath(options.projectDir)
      if (!(await exists(path))) return
      await withProjectMerge(options.projectDir, () =>
        withWorktreeAdmin(options.projectDir, () =>
          removeCheckout(options.projectDir, path, context),
        ),
      )
    },
  }
}

/** One request: its leftovers committed, then merged, rebuilt while the branch moves meanwhile. */
async function mergeRequest(merger: Merger, request: MergeRequest): Promise<MergeOutcome> {
  const { options } = merger
  const context: GitContext = {
    timeoutMs: options.gitTimeoutMs ?? defaultGitTimeoutMs,
    signal: request.signal,
    clock: merger.clock,
  }
  try {
    assertAgentId(request.agentId)
    if (request.leaveWorktree !== true) await commitLeftovers(options.projectDir, request, context)
    for (let attempt = 1; ; attempt++) {
      const outcome = await mergeOnce(merger, request, context)
      if (outcome !== 'branch_moved') return outcome
      if (attempt === maxAttempts) {
        return {
          kind: 'error',
          code: 'BRANCH_MOVED',
          message: `${options.branch} kept moving during ${maxAttempts} merge attempts; retry later.`,
        }
      }
    }
  } catch (thrown) {
    const error = toWorkspaceError(thrown)
    return { kind: 'error', code: error.code, message: error.message }
  }
}

async function mergeOnce(
  merger: Merger,
  request: MergeRequest,
  context: GitContext,
): Promise<MergeOutcome | 'branch_moved'> {
  const { projectDir, branch } = merger.options
  const [baseCommit, agentCommit] = (await requireBranchCommits(
    projectDir,
    [branch, request.worktreeBranch],
    context,
  )) as [string, string]
  const { agentId, featureIds, message } = request
  const built = await buildMergeCommit(
    { projectDir, baseCommit, agentCommit, agentId, featureIds, message },
    context,
  )
  if (built.kind === 'conflict') return built
  const checked = await checkMerge(merger, request, built.commit, context)
  if (typeof checked !== 'string' && checked !== null) return checked
  try {
    await publishMerge({ projectDir, branch, from: baseCommit, to: built.commit }, context)
  } catch (thrown) {
    if (thrown instanceof WorkspaceFailure && thrown.code === 'BRANCH_MOVED') return 'branch_moved'
    throw thrown
  }
  return checked === null
    ? { kind: 'merged', commit: built.commit }
    : { kind: 'merged', commit: built.commit, checkOutput: checked }
}

/**
 * Runs the check on the merge commit: its output when it passed, null when there is no check to
 * run, `check_failed` otherwise.
 */
async function checkMerge(
  merger: Merger,
  request: MergeRequest,
  commit: string,
  context: GitContext,
): Promise<string | null | Extract<MergeOutcome, { kind: 'check_failed' }>> {
  const { checkCommand } = merger.options
  if (checkCommand === undefined || request.skipCheck === true) return null
  const cwd = await merger.verification.checkout(commit, context)
  const timeoutMs = merger.options.timeoutMs ?? defaultCheckTimeoutMs
  // A runner that throws (for example a policy that cannot decide) fails the check, visibly.
  const result = await merger
    .runCheck(checkCommand, cwd, timeoutMs, request.signal)
    .catch((thrown: unknown) => ({
      exitCode: null,
      output: `The check could not run: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
    }))
  if (request.signal?.aborted)
    throw new WorkspaceFailure(
      'ABORTED',
      `The merge of ${request.worktreeBranch} was aborted during the check.`,
    )
  if (result.exitCode !== 0)
    return { kind: 'check_failed', output: result.output, exitCode: result.exitCode }
  return result.output
}

async function commitLeftovers(
  projectDir: string,
  request: MergeRequest,
  context: GitContext,
): Promise<void> {
  // The agent's own worktree if it has one (so a branch switch inside it is caught, not ignored),
  // else whichever worktree has the branch checked out.
  const ownWorktree = worktreePath(projectDir, request.agentId)
  const worktreeDir =
    request.worktreeDir ??
    ((await exists(join(ownWorktree, '.git')))
      ? ownWorktree
      : await worktreeOfBranch(projectDir, request.worktreeBranch, context))
  if (worktreeDir === null) return
  const ids = request.featureIds.map((id) => `#${id}`).join(', ')
  const message = `autocoder: uncommitted work of ${request.agentId}${ids === '' ? '' : ` on features ${ids}`}\n`
  await commitWorktree(worktreeDir, request.worktreeBranch, message, context)
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}
