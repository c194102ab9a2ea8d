import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { WorkspaceFailure } from './errors.js'
import { type GitContext, git, gitOk } from './git.js'
import {
  type PathChange,
  applyChanges,
  assertUntouched,
  changedPaths,
  presence,
  userTouchedPaths,
} from './checkout-sync.js'
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
export async function publishMerge(input: PublishInput, callerContext: GitContext): Promise<void> {
  // Once started, a move must not stop half-way because a caller lost interest: no signal here.
  const context: GitContext = { ...callerContext, signal: undefined }
  // A move that failed half-way earlier in this process (timeout, git error) is settled first.
  await recoverPublish(input.projectDir, context)
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
