import { join } from 'node:path'

import { WorkspaceFailure } from './errors.js'

/** Where autocoder keeps its runtime files inside a project. */
export const runtimeDirName = '.autocoder'
/** Prefix of every agent branch: `autocoder/<agentId>`. */
export const agentBranchPrefix = 'autocoder/'

/** Lines autocoder needs ignored; `node_modules` has no trailing slash so a symlink matches too. */
export const ignoredPaths = ['.autocoder/', 'node_modules'] as const

const agentIdPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/

/** Throws `INVALID_AGENT_ID` unless the id is safe as a directory name and a branch name. */
export function assertAgentId(agentId: string): void {
  if (!agentIdPattern.test(agentId)) {
    throw new WorkspaceFailure(
      'INVALID_AGENT_ID',
      `Agent id ${JSON.stringify(agentId)} is not usable as a worktree and branch name; use 1-64 letters, digits, '-' or '_', starting with a letter or digit.`,
    )
  }
}

export function worktreesDir(projectDir: string): string {
  return join(projectDir, runtimeDirName, 'worktrees')
}

/** `<project>/.autocoder/worktrees/<agentId>`: the agent's own checkout. */
export function worktreePath(projectDir: string, agentId: string): string {
  return join(worktreesDir(projectDir), agentId)
}

/** `autocoder/<agentId>`: the branch the agent's worktree is on. */
export function agentBranch(agentId: string): string {
  return `${agentBranchPrefix}${agentId}`
}

/** The detached worktree in which the merge queue runs the check on a merged result. */
export function verifyWorktreePath(projectDir: string): string {
  return join(projectDir, runtimeDirName, 'merge-check')
}

/** Intent record of a branch move in progress (see publish.ts); its presence means "finish me". */
export function publishJournalPath(projectDir: string): string {
  return join(projectDir, runtimeDirName, 'merge-publish.json')
}
