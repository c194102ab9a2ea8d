import { createHash } from 'node:crypto'
import { lstat, readFile, readlink } from 'node:fs/promises'
import { join } from 'node:path'

import { uncommittedPaths } from './ensure-repository.js'
import { WorkspaceFailure } from './errors.js'
import { type GitContext, gitOk, splitNul } from './git.js'

// Keeping a checkout in step with its branch by touching only the paths a merge changed, so that
// the user's uncommitted work in other paths is never disturbed.

/** A path a merge changed; `deleted` when the target commit does not have it. */
export interface PathChange {
  path: string
  deleted: boolean
}

export async function changedPaths(
  dir: string,
  from: string,
  to: string,
  context: GitContext,
): Promise<PathChange[]> {
  const fields = splitNul(
    await gitOk(dir, ['diff', '--name-status', '-z', '--no-renames', from, to], context),
  )
  const changes: PathChange[] = []
  for (let index = 0; index + 1 < fields.length; index += 2)
    changes.push({ path: fields[index + 1]!, deleted: fields[index] === 'D' })
  return changes
}

/** Refuses when the user has uncommitted changes in (or under, or above) a path the merge changes. */
export async function assertUntouched(
  checkoutDir: string,
  changes: readonly PathChange[],
  branch: string,
  context: GitContext,
): Promise<void> {
  const dirty = await uncommittedPaths(checkoutDir, context)
  const changed = new Set(changes.map((change) => change.path))
  const ancestors = new Set([...changed].flatMap(parentsOf))
  const overlap = dirty.filter(
    (path) =>
      changed.has(path) ||
      ancestors.has(path.replace(/\/$/, '')) ||
      parentsOf(path).some((parent) => changed.has(parent)),
  )
  if (overlap.length > 0) {
    throw new WorkspaceFailure(
      'CHECKOUT_CONFLICT',
      `The checkout ${checkoutDir} of ${branch} has uncommitted changes in files the merge changes (${overlap.slice(0, 10).join(', ')}); commit or discard them, then the merge can be retried.`,
    )
  }
}

function parentsOf(path: string): string[] {
  const parts = path.split('/')
  return parts.slice(1).map((_, index) => parts.slice(0, index + 1).join('/'))
}

/**
 * Makes index and files of `changes` equal to `target` in the checkout; idempotent.
 *
 * The paths go to git on standard input, so each command is one that refuses an empty list: a
 * process killed before it wrote them leaves a git that read nothing, and `git checkout <commit>`
 * with no paths would have switched the user's checkout to a detached HEAD.
 */
export async function applyChanges(
  checkoutDir: string,
  target: string,
  changes: readonly PathChange[],
  context: GitContext,
): Promise<void> {
  const present = changes.filter((change) => !change.deleted).map((change) => change.path)
  const deleted = changes.filter((change) => change.deleted).map((change) => change.path)
  const nul = (paths: string[]): string => paths.map((path) => `${path}\0`).join('')
  if (deleted.length > 0) {
    await gitOk(
      checkoutDir,
      ['rm', '-q', '-f', '--ignore-unmatch', '--pathspec-from-file=-', '--pathspec-file-nul'],
      context,
      { input: nul(deleted) },
    )
  }
  if (present.length > 0) {
    await gitOk(
      checkoutDir,
      [
        'restore',
        '-q',
        `--source=${target}`,
        '--staged',
        '--worktree',
        '--pathspec-from-file=-',
        '--pathspec-file-nul',
      ],
      context,
      { input: nul(present) },
    )
  }
}

/** The same paths, marked deleted where `commit` does not have them. */
export async function presence(
  dir: string,
  commit: string,
  changes: readonly PathChange[],
  context: GitContext,
): Promise<PathChange[]> {
  const existing = new Set(await treePaths(dir, commit, context))
  return changes.map((change) => ({ path: change.path, deleted: !existing.has(change.path) }))
}

async function treePaths(dir: string, commit: string, context: GitContext): Promise<string[]> {
  return splitNul(
    await gitOk(dir, ['ls-tree', '-r', '-z', '--name-only', '--full-tree', commit], context),
  )
}

/** Paths whose file is neither the `from` nor the `to` version: someone edited them by hand. */
export async function userTouchedPaths(
  checkoutDir: string,
  from: string,
  to: string,
  changes: readonly PathChange[],
  context: GitContext,
): Promise<string[]> {
  const [before, after] = await Promise.all([
    blobIds(checkoutDir, from, context),
    blobIds(checkoutDir, to, context),
  ])
  const touched: string[] = []
  for (const { path } of changes) {
    const current = await fileBlobId(join(checkoutDir, path))
    if (current === before.get(path) || current === after.get(path)) continue
    touched.push(path)
  }
  return touched
}

async function blobIds(
  dir: string,
  commit: string,
  context: GitContext,
): Promise<Map<string, string | undefined>> {
  const ids = new Map<string, string | undefined>()
  for (const line of splitNul(
    await gitOk(dir, ['ls-tree', '-r', '-z', '--full-tree', commit], context),
  )) {
    const tab = line.indexOf('\t')
    ids.set(line.slice(tab + 1), line.slice(0, tab).split(' ')[2])
  }
  return ids
}

/** The git blob id (SHA-1) of a file or symlink, or undefined when the path does not exist. */
async function fileBlobId(path: string): Promise<string | undefined> {
  const info = await lstat(path).catch(() => null)
  if (info === null) return undefined
  if (info.isDirectory()) return 'directory'
  const content = info.isSymbolicLink() ? Buffer.from(await readlink(path)) : await readFile(path)
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex')
}
