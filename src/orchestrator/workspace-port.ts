import { systemClock } from '../core/index.js'
import type { Clock, Result } from '../core/index.js'
import {
  agentBranch,
  createMergeQueue,
  createWorktree,
  ensureRepository,
  pendingWork,
  pruneOrphanWorktrees,
  readMergeLog,
  recoverWorkspace,
  removeWorktree,
  RepoGuard,
  worktreePath,
} from '../workspace/index.js'
import type {
  CheckCommand,
  CheckRunner,
  MergeOutcome,
  MergeQueue,
  MergeRecord,
  PendingWork,
  WorkspaceError,
} from '../workspace/index.js'

/** Where an agent works. */
export interface AgentCheckout {
  cwd: string
  /** The agent's own branch, or undefined when it works in the project directory itself. */
  branch: string | undefined
}

export interface MergeInput {
  agentId: string
  featureIds: readonly number[]
  message: string
  /** Skip the check command (the initializer's scaffold is merged unchecked). */
  unchecked?: boolean
  /** Merge what the agent committed and leave its checkout alone: the agent still works in it. */
  leaveWorktree?: boolean
}

/**
 * What the run loop needs from the workspace: a checkout per agent, the serial merge queue, and
 * crash recovery. `gitWorkspace` is the real one; `sharedWorkspace` (no isolation, every merge
 * succeeds at once) serves simulations and benches.
 */
export interface WorkspacePort {
  /**
   * Makes sure the project is a repository and snapshots its config and hooks; returns the project
   * branch and what it restored from a snapshot a crashed run left.
   */
  prepare(): Promise<Result<{ branch: string; restored: string[] }, WorkspaceError>>
  /** Restores repository config, hooks and worktree links an agent changed; returns the paths. */
  verify(): Promise<string[]>
  /** Recovers after a crash and removes every agent checkout not in `liveAgentIds`. */
  recover(liveAgentIds: readonly string[]): Promise<Result<{ removed: string[] }, WorkspaceError>>
  /** Merges that landed on the project branch after `sinceCommit` (all when null), oldest first. */
  mergesSince(sinceCommit: string | null): Promise<Result<MergeRecord[], WorkspaceError>>
  checkout(agentId: string): Promise<Result<AgentCheckout, WorkspaceError>>
  merge(input: MergeInput): Promise<MergeOutcome>
  /** What an agent's checkout holds beyond the project branch (read without changing it). */
  pendingWork(agentId: string): Promise<PendingWork>
  release(agentId: string): Promise<Result<void, WorkspaceError>>
  /** Closes the merge queues; returns what the last `verify` restored. */
  close(): Promise<string[]>
}

export interface GitWorkspaceOptions {
  projectDir: string
  checkCommand?: CheckCommand | undefined
  runCheck?: CheckRunner | undefined
  checkTimeoutMs?: number | undefined
  clock?: Clock | undefined
}

/**
 * The project's merge queues, made on first use: one with the check command, one without (the
 * initializer's scaffold, or every merge when no check is configured).
 */
function mergeQueues(options: GitWorkspaceOptions): {
  queue: (branch: string, skipCheck: boolean) => MergeQueue
  close: () => Promise<void>
} {
  const { projectDir } = options
  const clockOption = options.clock ? { clock: options.clock } : {}
  let checked: MergeQueue | undefined
  let unchecked: MergeQueue | undefined
  return {
    queue(branch, skipCheck) {
      if (skipCheck || options.checkCommand === undefined) {
        unchecked ??= createMergeQueue({ projectDir, branch, ...clockOption })
        return unchecked
      }
      checked ??= createMergeQueue({
        projectDir,
        branch,
        checkCommand: options.checkCommand,
        ...(options.runCheck ? { runCheck: options.runCheck } : {}),
        ...(options.checkTimeoutMs ? { timeoutMs: options.checkTimeoutMs } : {}),
        ...clockOption,
      })
      return checked
    },
    async close() {
      await checked?.close()
      await unchecked?.close()
    },
  }
}

/** The real workspace: a git worktree and branch per agent, merges through the verified queue. */
export function gitWorkspace(options: GitWorkspaceOptions): WorkspacePort {
  const { projectDir } = options
  let branch: string | undefined
  let guard: RepoGuard | null = null
  const clockOption = options.clock ? { clock: options.clock } : {}
  const queues = mergeQueues(options)

  return {
    async prepare() {
      const info = await ensureRepository(projectDir, clockOption)
      if (!info.ok) return info
      branch = info.value.branch
      const opened = await RepoGuard.open(
        projectDir,
        { timeoutMs: 60_000, clock: options.clock ?? systemClock },
        { persist: true },
      )
      guard = opened?.guard ?? null
      return { ok: true, value: { branch, restored: opened?.restored ?? [] } }
    },
    async verify() {
      return (await guard?.check()) ?? []
    },
    async recover(liveAgentIds) {
      const recovered = await recoverWorkspace(projectDir, clockOption)
      if (!recovered.ok) return recovered
      return pruneOrphanWorktrees(projectDir, liveAgentIds, clockOption)
    },
    async mergesSince(sinceCommit) {
      if (branch === undefined) return { ok: true, value: [] }
      const log = await readMergeLog(
        projectDir,
        branch,
        sinceCommit ? { since: sinceCommit, ...clockOption } : clockOption,
      )
      if (!log.ok) {
        // The recorded commit is gone (history rewritten by a person): nothing can be recovered.
        if (sinceCommit) return { ok: true, value: [] }
        return log
      }
      return { ok: true, value: [...log.value].reverse() }
    },
    async checkout(agentId) {
      if (branch === undefined) throw new Error('gitWorkspace.prepare() must run before checkouts')
      const tree = await createWorktree({ projectDir, agentId, baseBranch: branch, ...clockOption })
      if (!tree.ok) return tree
      await guard?.trustWorktree(tree.value.path)
      return { ok: true, value: { cwd: tree.value.path, branch: tree.value.branch } }
    },
    merge(input) {
      if (branch === undefined) throw new Error('gitWorkspace.prepare() must run before merges')
      return queues.queue(branch, input.unchecked === true).enqueue({
        agentId: input.agentId,
        worktreeBranch: agentBranch(input.agentId),
        featureIds: input.featureIds,
        message: input.message,
        ...(input.leaveWorktree === true ? { leaveWorktree: true } : {}),
      })
    },
    pendingWork(agentId) {
      if (branch === undefined) throw new Error('gitWorkspace.prepare() must run before merges')
      return pendingWork({ projectDir, agentId, projectBranch: branch, ...clockOption })
    },
    async release(agentId) {
      await guard?.forgetWorktree(worktreePath(projectDir, agentId))
      return removeWorktree({ projectDir, agentId, ...clockOption })
    },
    async close() {
      await queues.close()
      return (await guard?.close()) ?? []
    },
  }
}

/**
 * No isolation: every agent works in the project directory and every merge succeeds at once with
 * an empty commit id. For simulations (benches, loop tests) only.
 */
export function sharedWorkspace(projectDir: string): WorkspacePort {
  let merges = 0
  return {
    prepare: () => Promise.resolve({ ok: true, value: { branch: 'main', restored: [] } }),
    verify: () => Promise.resolve([]),
    recover: () => Promise.resolve({ ok: true, value: { removed: [] } }),
    mergesSince: () => Promise.resolve({ ok: true, value: [] }),
    checkout: () => Promise.resolve({ ok: true, value: { cwd: projectDir, branch: undefined } }),
    merge: () => Promise.resolve({ kind: 'merged', commit: `simulated-${++merges}` }),
    pendingWork: () => Promise.resolve({ uncommitted: false, unmerged: false, head: null }),
    release: () => Promise.resolve({ ok: true, value: undefined }),
    close: () => Promise.resolve([]),
  }
}
