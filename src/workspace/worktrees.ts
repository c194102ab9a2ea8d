import { lstat, mkdir, readdir, rm, symlink, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

import { type Clock, ok, type Result } from '../core/index.js'
import { withWorktreeAdmin } from './admin-lock.js'
import { type WorkspaceError, WorkspaceFailure, toWorkspaceError } from './errors.js'
import { type GitContext, git, gitContext, gitOk } from './git.js'
import {
  agentBranch,
  agentBranchPrefix,
  assertAgentId,
  worktreePath,
  worktreesDir,
} from './layout.js'
import { canonicalPath, listWorktreeEntries, pathExists, requireBranchCommit } from './repo.js'

/**
 * How a worktree gets dependencies: `symlink` links `<worktree>/node_modules` to the project's
 * `node_modules` (instant, shared, read-mostly; see README), `none` leaves it to the agent.
 */
export type NodeModulesMode = 'symlink' | 'none'

export interface GitCallOptions {
  timeoutMs?: number
  signal?: AbortSignal
  clock?: Clock
}

export interface CreateWorktreeOptions extends GitCallOptions {
  projectDir: string
  agentId: string
  /** The project branch; the new branch starts at its current commit. */
  baseBranch: string
  /** Default `symlink` (only when the project has a `node_modules` directory). */
  nodeModules?: NodeModulesMode
}

/** An agent's checkout: `path` is on `branch`, which started at `baseCommit`. */
export interface Worktree {
  agentId: string
  path: string
  branch: string
  baseCommit: string
}

/**
 * Creates `<project>/.autocoder/worktrees/<agentId>` on a fresh branch `autocoder/<agentId>` at the
 * base branch's current commit. A leftover worktree or branch of the same id (from a dead agent) is
 * replaced: agent ids are unique among live agents.
 */
export async function createWorktree(
  options: CreateWorktreeOptions,
): Promise<Result<Worktree, WorkspaceError>> {
  const context = gitContext(options)
  try {
    assertAgentId(options.agentId)
    return ok(await withWorktreeAdmin(options.projectDir, () => addWorktree(options, context)))
  } catch (thrown) {
    return { ok: false, error: toWorkspaceError(thrown) }
  }
}

async function addWorktree(options: CreateWorktreeOptions, context: GitContext): Promise<Worktree> {
  const baseCommit = await requireBranchCommit(options.projectDir, options.baseBranch, context)
  const path = worktreePath(options.projectDir, options.agentId)
  const branch = agentBranch(options.agentId)
  const add = ['worktree', 'add', '-q', '-B', branch, path, baseCommit]
  // A new agent id has no checkout yet: add it in one git call. A leftover (a directory, or a
  // registration whose directory is gone, which makes `worktree add` fail) is removed first.
  const fresh =
    !(await pathExists(path)) && (await git(options.projectDir, add, context)).exitCode === 0
  if (!fresh) {
    await removeCheckout(options.projectDir, path, context)
    await mkdir(dirname(path), { recursive: true })
    await gitOk(options.projectDir, add, context)
  }
  if ((options.nodeModules ?? 'symlink') === 'symlink')
    await linkNodeModules(options.projectDir, path)
  return { agentId: options.agentId, path, branch, baseCommit }
}

export interface RemoveWorktreeOptions extends GitCallOptions {
  projectDir: string
  agentId: string
  /** Keep the branch `autocoder/<agentId>` (default: delete it too). */
  keepBranch?: boolean
}

/** Removes an agent's worktree (uncommitted work in it is discarded) and, by default, its branch. */
export async function removeWorktree(
  options: RemoveWorktreeOptions,
): Promise<Result<void, WorkspaceError>> {
  const context = gitContext(options)
  try {
    assertAgentId(options.agentId)
    await withWorktreeAdmin(options.projectDir, async () => {
      await removeCheckout(
        options.projectDir,
        worktreePath(options.projectDir, options.agentId),
        context,
      )
      if (options.keepBranch !== true)
        await deleteBranch(options.projectDir, agentBranch(options.agentId), context)
    })
    return ok(undefined)
  } catch (thrown) {
    return { ok: false, error: toWorkspaceError(thrown) }
  }
}

/**
 * Removes the worktrees and `autocoder/*` branches of every agent not in `liveAgentIds` (after a
 * crash), and git's metadata of worktrees whose directory is gone. Returns the agent ids removed.
 */
export async function pruneOrphanWorktrees(
  projectDir: string,
  liveAgentIds: Iterable<string>,
  options: GitCallOptions = {},
): Promise<Result<{ removed: string[] }, WorkspaceError>> {
  const context = gitContext(options)
  const live = new Set(liveAgentIds)
  try {
    return ok(await withWorktreeAdmin(projectDir, () => pruneOrphans(projectDir, live, context)))
  } catch (thrown) {
    return { ok: false, error: toWorkspaceError(thrown) }
  }
}

async function pruneOrphans(
  projectDir: string,
  live: ReadonlySet<string>,
  context: GitContext,
): Promise<{ removed: string[] }> {
  await gitOk(projectDir, ['worktree', 'prune'], context)
  const removed = new Set<string>()
  const root = await canonicalPath(worktreesDir(projectDir))
  for (const entry of await listWorktreeEntries(projectDir, context)) {
    const path = await canonicalPath(entry.path)
    if (dirname(path) !== root || live.has(basename(path))) continue
    await removeCheckout(projectDir, entry.path, context)
    removed.add(basename(path))
  }
  for (const name of await readdir(worktreesDir(projectDir)).catch(() => [] as string[])) {
    if (live.has(name)) continue
    await rm(join(worktreesDir(projectDir), name), { recursive: true, force: true })
    removed.add(name)
  }
  for (const branch of await agentBranches(projectDir, context)) {
    const agentId = branch.slice(agentBranchPrefix.length)
    if (live.has(agentId)) continue
    await deleteBranch(projectDir, branch, context)
    removed.add(agentId)
  }
  await gitOk(projectDir, ['worktree', 'prune'], context)
  return { removed: [...removed].sort() }
}

/** Removes a worktree directory and its registration, whatever state it is in. */
export async function removeCheckout(
  projectDir: string,
  path: string,
  context: GitContext,
): Promise<void> {
  // Unlink our node_modules link first so nothing ever recurses into the project's dependencies.
  await unlinkIfSymlink(join(path, 'node_modules'))
  const removal = await git(projectDir, ['worktree', 'remove', '--force', '--force', path], context)
  if (removal.exitCode !== 0) {
    // Not registered (or half-created): delete the directory, then drop any stale registration.
    await rm(path, { recursive: true, force: true })
    await gitOk(projectDir, ['worktree', 'prune'], context)
  }
}

/**
 * Deletes an agent's branch (and its reflog) without touching `.git/config`: `git branch -D`
 * rewrites the config on every call, by renaming a new file over it, and each sandbox binds that
 * file read-only; a sandbox starting in that instant fails, and one already running sees the new,
 * unbound file. The ref itself is deleted, never what it points to (an agent may make its branch a
 * symbolic ref to the project branch), and only if it still names the commit read first. A branch
 * checked out somewhere (a person may have switched to it) is refused; a branch that was never
 * made (or is gone already) is fine.
 */
async function deleteBranch(
  projectDir: string,
  branch: string,
  context: GitContext,
): Promise<void> {
  const ref = `refs/heads/${branch}`
  // The pattern also matches refs under it (`<branch>/...`): only the line of the branch counts.
  const listed = await gitOk(
    projectDir,
    ['for-each-ref', '--format=%(refname)%00%(objectname)%00%(worktreepath)', ref],
    context,
  )
  const line = listed.split('\n').find((entry) => entry.startsWith(`${ref}\0`))
  if (line === undefined) return
  const [, commit = '', checkedOut = ''] = line.split('\0')
  if (checkedOut !== '')
    throw new WorkspaceFailure(
      'GIT_FAILED',
      `The agent branch ${branch} is checked out in ${checkedOut}, so it was not removed; switch that checkout to another branch (autocoder removes its agents' branches when they are done).`,
    )
  await gitOk(projectDir, ['update-ref', '--no-deref', '-d', ref, commit], context)
}

async function agentBranches(projectDir: string, context: GitContext): Promise<string[]> {
  const output = await gitOk(
    projectDir,
    ['for-each-ref', '--format=%(refname:short)', `refs/heads/${agentBranchPrefix}`],
    context,
  )
  return output.split('\n').filter((line) => line !== '')
}

export async function linkNodeModules(projectDir: string, path: string): Promise<void> {
  const source = join(projectDir, 'node_modules')
  const isDirectory = await lstat(source).then(
    (info) => info.isDirectory(),
    () => false,
  )
  const target = join(path, 'node_modules')
  const taken = await lstat(target).then(
    () => true,
    () => false,
  )
  if (isDirectory && !taken) await symlink(await canonicalPath(source), target, 'dir')
}

async function unlinkIfSymlink(path: string): Promise<void> {
  const isLink = await lstat(path).then(
    (info) => info.isSymbolicLink(),
    () => false,
  )
  if (isLink) await unlink(path)
}
