import { createHash } from 'node:crypto'
import { lstat, readFile, readlink, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { WorkspaceFailure } from './errors.js'
import { type GitContext, git, gitOk, splitNul } from './git.js'
import { uncommittedPaths } from './ensure-repository.js'
import { publishJournalPath } from './layout.js'
import { gitPath, resolveCommit } from './repo.js'
import { operationInProgress, worktreeOfBranch } from './commit-worktree.js'

/**
 * Moving the project branch from a verified merge commit is the one step that touches the user's
 * checkout. It is journaled: `merge-publish.json` is written before the first change and removed
 * after the last, so `recoverPublish` can finish a move that a kill -9 interrupted.
 */
interface PublishJournal {
  version: 1
  branch: string
  from: string
  to: string
  /** The worktree that has the branch checked out (usually the project directory), or null. */
  checkoutDir: string | null
  changes: PathChange[]
}

interface PathChange {
  path: string
  deleted: boolean
}

export interface PublishInput {
  projectDir: string
  branch: string
  from: string
  to: string
}

/**
 * Moves `branch` from `from` to `to` (compare-and-swap) and brings the checkout that has the branch
 * checked out along, touching only the paths the merge changed. Uncommitted user changes in other
 * paths stay; uncommitted changes in a changed path refuse the move (`CHECKOUT_CONFLICT`).
 */
export async function publishMerge(input: PublishInput, context: GitContext): Promise<void> {
  const checkoutDir = await worktreeOfBranch(input.projectDir, input.branch, context)
  if (checkoutDir !== null) await assertCheckoutIdle(checkoutDir, input.branch, context)
  else await assertNoRebaseOf(input.projectDir, input.branch, context)

  const current = await resolveCommit(input.projectDir, `refs/heads/${input.branch}`, context)
  if (current !== input.from) throw branchMoved(input)

  const changes = await changedPaths(input.projectDir, input.from, input.to, context)
  if (checkoutDir !== null) await assertUntouched(checkoutDir, changes, input.branch, context)

  const journal: PublishJournal = { version: 1, ...input, checkoutDir, changes }
  await writeJournal(input.projectDir, journal)
  if (checkoutDir !== null) await applyChanges(checkoutDir, input.to, changes, context)
  const moved = await git(
    input.projectDir,
    ['update-ref', '-m', 'autocoder: merge', `refs/heads/${input.branch}`, input.to, input.from],
    context,
  )
  if (moved.exitCode !== 0) {
    // Someone committed on the branch in the last milliseconds: give the checkout back to them.
    const now = await resolveCommit(input.projectDir, `refs/heads/${input.branch}`, context)
    if (checkoutDir !== null && now !== null)
      await applyChanges(
        checkoutDir,
        now,
        await presence(checkoutDir, now, changes, context),
        context,
      )
    await rm(publishJournalPath(input.projectDir), { force: true })
    throw branchMoved(input)
  }
  await rm(publishJournalPath(input.projectDir), { force: true })
}

export interface PublishRecovery {
  branch: string
  commit: string
  /** `completed`: the branch now points at the merge; `abandoned`: it was left alone (see detail). */
  result: 'completed' | 'abandoned'
  detail: string
}

/** Finishes (or safely abandons) a branch move that was interrupted; null when none was pending. */
export async function recoverPublish(
  projectDir: string,
  context: GitContext,
): Promise<PublishRecovery | null> {
  const journal = await readJournal(projectDir)
  if (journal === null) return null
  const { branch, from, to, checkoutDir, changes } = journal
  const commonDir = await gitPath(projectDir, '--git-common-dir', context)
  // Locks left by the killed process; the journal says the process was inside this move.
  const checkoutGitDir =
    checkoutDir === null ? null : await gitPath(checkoutDir, '--git-dir', context).catch(() => null)
  await releaseStaleLock(join(commonDir, 'refs', 'heads', `${branch}.lock`), context)
  if (checkoutGitDir !== null) await releaseStaleLock(join(checkoutGitDir, 'index.lock'), context)

  const current = await resolveCommit(projectDir, `refs/heads/${branch}`, context)
  const done = (result: PublishRecovery['result'], detail: string): PublishRecovery => ({
    branch,
    commit: to,
    result,
    detail,
  })
  let recovery: PublishRecovery
  if (current === to) {
    recovery = done('completed', `${branch} already pointed at ${to}.`)
  } else if (current !== from) {
    recovery = done(
      'abandoned',
      `${branch} moved to ${current ?? 'nothing'} since the interrupted merge; left it alone.`,
    )
  } else {
    const touched =
      checkoutDir === null ? [] : await userTouchedPaths(checkoutDir, from, to, changes, context)
    if (touched.length > 0) {
      recovery = done(
        'abandoned',
        `Files changed by hand since the interrupted merge, left as they are: ${touched.join(', ')}.`,
      )
    } else {
      if (checkoutDir !== null) await applyChanges(checkoutDir, to, changes, context)
      await gitOk(
        projectDir,
        [
          'update-ref',
          '-m',
          'autocoder: finish interrupted merge',
          `refs/heads/${branch}`,
          to,
          from,
        ],
        context,
      )
      recovery = done('completed', `Finished moving ${branch} from ${from} to ${to}.`)
    }
  }
  await rm(publishJournalPath(projectDir), { force: true })
  return recovery
}

async function assertCheckoutIdle(
  checkoutDir: string,
  branch: string,
  context: GitContext,
): Promise<void> {
  const operation = await operationInProgress(checkoutDir, context)
  if (operation !== null) {
    throw new WorkspaceFailure(
      'CHECKOUT_BUSY',
      `${checkoutDir} (on ${branch}) has a git operation in progress (${operation}); finish or abort it there, then the merge can be retried.`,
    )
  }
}

async function assertNoRebaseOf(
  projectDir: string,
  branch: string,
  context: GitContext,
): Promise<void> {
  const commonDir = await gitPath(projectDir, '--git-common-dir', context)
  for (const name of ['rebase-merge', 'rebase-apply']) {
    const headName = await readFile(join(commonDir, name, 'head-name'), 'utf8').catch(() => '')
    if (headName.trim() === `refs/heads/${branch}`) {
      throw new WorkspaceFailure(
        'CHECKOUT_BUSY',
        `${branch} is being rebased in ${projectDir}; finish or abort the rebase, then the merge can be retried.`,
      )
    }
  }
}

async function changedPaths(
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
async function assertUntouched(
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

/** Makes index and files of `changes` equal to `target` in the checkout; idempotent. */
async function applyChanges(
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
      ['checkout', '-q', target, '--pathspec-from-file=-', '--pathspec-file-nul'],
      context,
      { input: nul(present) },
    )
  }
}

/** The same paths, marked deleted where `commit` does not have them. */
async function presence(
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
async function userTouchedPaths(
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

async function writeJournal(projectDir: string, journal: PublishJournal): Promise<void> {
  const path = publishJournalPath(projectDir)
  await writeFile(`${path}.tmp`, JSON.stringify(journal))
  await rename(`${path}.tmp`, path)
}

async function readJournal(projectDir: string): Promise<PublishJournal | null> {
  const text = await readFile(publishJournalPath(projectDir), 'utf8').catch(() => null)
  if (text === null) return null
  try {
    return JSON.parse(text) as PublishJournal
  } catch {
    // Killed while writing the temporary file is impossible (rename is atomic); a torn file
    // means it was never complete, so nothing had been changed yet.
    await rm(publishJournalPath(projectDir), { force: true })
    return null
  }
}

function branchMoved(input: PublishInput): WorkspaceFailure {
  return new WorkspaceFailure(
    'BRANCH_MOVED',
    `${input.branch} no longer points at ${input.from} (another commit landed on it); the merge will be rebuilt on the new tip.`,
  )
}

/**
 * A lock left by the killed process. A git child of that process may outlive it for a moment, so
 * give the lock a short while to disappear on its own before deleting it.
 */
async function releaseStaleLock(path: string, context: GitContext): Promise<void> {
  for (let waitedMs = 0; waitedMs < 1_000; waitedMs += 50) {
    const present = await stat(path).then(
      () => true,
      () => false,
    )
    if (!present) return
    await context.clock.sleep(50, context.signal)
  }
  await rm(path, { force: true })
}
