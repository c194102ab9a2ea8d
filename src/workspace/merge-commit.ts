import { WorkspaceFailure } from './errors.js'
import { type GitContext, git, gitOk, splitNul } from './git.js'
import { isAncestor } from './repo.js'

export type BuiltMerge =
  { kind: 'clean'; commit: string } | { kind: 'conflict'; files: string[]; detail: string }

export interface MergeCommitInput {
  projectDir: string
  /** Current commit of the project branch: the first parent. */
  baseCommit: string
  /** Tip of the agent branch: the second parent. */
  agentCommit: string
  agentId: string
  featureIds: readonly number[]
  message: string
}

/** Trailer keys on every batch merge commit, so merges can be counted and audited. */
export const agentTrailer = 'Autocoder-Agent'
export const featuresTrailer = 'Autocoder-Features'

/**
 * Merges the agent commit into the base commit without touching any working tree
 * (`git merge-tree --write-tree`), and writes exactly one merge commit whose first parent is the
 * base. Nothing is referenced yet: the caller verifies, then moves the branch. A conflict leaves
 * nothing behind to abort.
 */
export async function buildMergeCommit(
  input: MergeCommitInput,
  context: GitContext,
): Promise<BuiltMerge> {
  const { projectDir, baseCommit } = input
  const agentCommit = await distinctSecondParent(input, context)
  const merge = await git(
    projectDir,
    ['merge-tree', '--write-tree', '-z', '--name-only', '--messages', baseCommit, agentCommit],
    context,
  )
  if (merge.exitCode === 1) return { kind: 'conflict', ...parseConflict(merge.stdout) }
  if (merge.exitCode !== 0) {
    throw new WorkspaceFailure(
      'GIT_FAILED',
      `git merge-tree ${baseCommit} ${agentCommit} failed in ${projectDir}: ${merge.stderr.trim()}`,
    )
  }
  const tree = splitNul(merge.stdout)[0] ?? ''
  const commit = await gitOk(
    projectDir,
    ['commit-tree', tree, '-p', baseCommit, '-p', agentCommit, '-F', '-'],
    context,
    {
      input: mergeMessage(input),
    },
  )
  return { kind: 'clean', commit: commit.trim() }
}

export function mergeMessage(
  input: Pick<MergeCommitInput, 'agentId' | 'featureIds' | 'message'>,
): string {
  const ids = input.featureIds.map((id) => `#${id}`).join(', ')
  const body =
    input.message.trim() ||
    `Merge work of ${input.agentId}${ids === '' ? '' : ` on features ${ids}`}`
  const trailers = [`${agentTrailer}: ${input.agentId}`]
  if (input.featureIds.length > 0)
    trailers.push(`${featuresTrailer}: ${input.featureIds.join(',')}`)
  return `${body}\n\n${trailers.join('\n')}\n`
}

/**
 * A batch always yields a real two-parent merge commit. When the agent commit is already contained
 * in the base (the agent changed nothing new), an empty commit on top of it stands in.
 */
async function distinctSecondParent(input: MergeCommitInput, context: GitContext): Promise<string> {
  if (!(await isAncestor(input.projectDir, input.agentCommit, input.baseCommit, context)))
    return input.agentCommit
  const message = `autocoder: no new changes from ${input.agentId}\n`
  const commit = await gitOk(
    input.projectDir,
    ['commit-tree', `${input.agentCommit}^{tree}`, '-p', input.agentCommit, '-F', '-'],
    context,
    {
      input: message,
    },
  )
  return commit.trim()
}

/** Reads `merge-tree -z --name-only --messages` output: tree, conflicted paths, messages. */
function parseConflict(stdout: string): { files: string[]; detail: string } {
  const fields = stdout.split('\0')
  const files = new Set<string>()
  let index = 1
  for (; index < fields.length && fields[index] !== ''; index++) files.add(fields[index]!)
  const messages: string[] = []
  for (index++; index < fields.length;) {
    const count = Number.parseInt(fields[index] ?? '', 10)
    if (!Number.isFinite(count)) break
    index += 1 + count
    index++ // the conflict type
    const text = fields[index++]
    if (text !== undefined && text.trim() !== '') messages.push(text.trim())
  }
  return { files: [...files].sort(), detail: messages.join('\n') }
}
