import { lstat, realpath } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'

import { WorkspaceFailure } from './errors.js'
import { type GitContext, git, gitFailure, gitOk, splitNul } from './git.js'

/** One entry of `git worktree list`. */
export interface WorktreeEntry {
  path: string
  head: string | null
  /** Short branch name, or null when detached. */
  branch: string | null
  isMain: boolean
  prunable: boolean
}

/** Lists the repository's worktrees (the main one first), from `git worktree list --porcelain -z`. */
export async function listWorktreeEntries(
  projectDir: string,
  context: GitContext,
): Promise<WorktreeEntry[]> {
  const output = await gitOk(projectDir, ['worktree', 'list', '--porcelain', '-z'], context)
  const entries: WorktreeEntry[] = []
  let current: WorktreeEntry | null = null
  for (const field of splitNul(output)) {
    if (field === '') {
      if (current) entries.push(current)
      current = null
      continue
    }
    const [key, ...rest] = field.split(' ')
    const value = rest.join(' ')
    if (key === 'worktree')
      current = {
        path: value,
        head: null,
        branch: null,
        isMain: entries.length === 0,
        prunable: false,
      }
    else if (!current) continue
    else if (key === 'HEAD') current.head = value
    else if (key === 'branch') current.branch = value.replace(/^refs\/heads\//, '')
    else if (key === 'prunable') current.prunable = true
  }
  if (current) entries.push(current)
  return entries
}

/** The branch checked out in `dir`, or null for a detached HEAD. */
export async function currentBranch(dir: string, context: GitContext): Promise<string | null> {
  const args = ['symbolic-ref', '-q', '--short', 'HEAD']
  const result = await git(dir, args, context)
  if (result.exitCode === 0) return result.stdout.trim()
  // Exit 1 is git's "HEAD is not a symbolic ref"; anything else is a failure to read it, which
  // must not be reported as a detached HEAD.
  if (result.exitCode === 1) return null
  throw gitFailure(dir, args, result)
}

/** Whether `commit` is `of` or one of its ancestors (false also when either cannot be read). */
export async function isAncestor(
  dir: string,
  commit: string,
  of: string,
  context: GitContext,
): Promise<boolean> {
  return (await git(dir, ['merge-base', '--is-ancestor', commit, of], context)).exitCode === 0
}

/** The commit a ref points at, or null if it does not exist. */
export async function resolveCommit(
  dir: string,
  ref: string,
  context: GitContext,
): Promise<string | null> {
  const result = await git(
    dir,
    ['rev-parse', '-q', '--verify', '--end-of-options', `${ref}^{commit}`],
    context,
  )
  return result.exitCode === 0 ? result.stdout.trim() : null
}

export async function requireBranchCommit(
  dir: string,
  branch: string,
  context: GitContext,
): Promise<string> {
  const commit = await resolveCommit(dir, `refs/heads/${branch}`, context)
  if (commit === null) {
    throw new WorkspaceFailure(
      'BRANCH_NOT_FOUND',
      `Branch ${branch} does not exist in ${dir}; check the name or run ensureRepository first.`,
    )
  }
  return commit
}

/** The commits of several branches, in one git call (BRANCH_NOT_FOUND names the missing one). */
export async function requireBranchCommits(
  dir: string,
  branches: readonly string[],
  context: GitContext,
): Promise<string[]> {
  const refs = branches.map((branch) => `refs/heads/${branch}^{commit}`)
  // Branch names never start with '-' (git refuses them), and `--` makes every word a revision.
  const result = await git(dir, ['rev-parse', ...refs, '--'], context)
  const commits = result.stdout.split('\n').filter((line) => /^[0-9a-f]{40,64}$/.test(line))
  if (result.exitCode === 0 && commits.length === branches.length) return commits
  // One is missing: ask for each, so the error names it.
  const each: string[] = []
  for (const branch of branches) each.push(await requireBranchCommit(dir, branch, context))
  return each
}

/** Absolute path of a `git rev-parse --git-*` answer for `dir`. */
export async function gitPath(
  dir: string,
  flag: '--git-dir' | '--git-common-dir',
  context: GitContext,
): Promise<string> {
  const value = (await gitOk(dir, ['rev-parse', flag], context)).trim()
  return isAbsolute(value) ? value : resolve(dir, value)
}

/** Resolves symlinks so paths from git and from callers compare equal. */
export async function canonicalPath(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path))
}

/** Whether something (a file, a folder, a link even if dangling) is at `path`. */
export async function pathExists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => null)) !== null
}
