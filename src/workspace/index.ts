// Public API of the workspace module: git worktrees per agent and the serial merge queue.
// See README.md in this folder for the rules (what is committed when, crash safety, node_modules).
export { ensureRepository, readGitIdentity } from './ensure-repository.js'
export type { EnsureRepositoryOptions, RepositoryInfo } from './ensure-repository.js'
export { WORKSPACE_ERROR_CODES } from './errors.js'
export type { WorkspaceError, WorkspaceErrorCode } from './errors.js'
export { agentBranch, worktreePath } from './layout.js'
export { readCommitDiff } from './commit-diff.js'
export type { CommitDiff, CommitDiffOptions } from './commit-diff.js'
export { readMergeLog } from './merge-log.js'
export type { MergeRecord, ReadMergeLogOptions } from './merge-log.js'
export { createMergeQueue } from './merge-queue.js'
export { pendingWork } from './pending-work.js'
export type { PendingWork } from './pending-work.js'
export type { MergeOutcome, MergeQueue, MergeQueueOptions, MergeRequest } from './merge-queue.js'
export type { PublishRecovery } from './publish.js'
export { RepoGuard, guardSnapshotPath } from './repo-guard.js'
export { recoverWorkspace } from './recover.js'
export type { RecoverWorkspaceOptions, RecoveryReport } from './recover.js'
export { runCommand } from './run-command.js'
export { SAFE_GIT_CONFIG } from './git.js'
export type { CheckCommand, CheckResult, CheckRunner, RunCommandOptions } from './run-command.js'
export type { Spawner } from './process.js'
export { createWorktree, pruneOrphanWorktrees, removeWorktree } from './worktrees.js'
export type {
  CreateWorktreeOptions,
  GitCallOptions,
  NodeModulesMode,
  RemoveWorktreeOptions,
  Worktree,
} from './worktrees.js'
