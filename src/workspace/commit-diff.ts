import { type Clock, ok, type Result } from '../core/index.js'
import { type WorkspaceError, toWorkspaceError } from './errors.js'
import { gitContext, gitOk } from './git.js'

export interface CommitDiff {
  commit: string
  /** `git diff --stat` of the commit against its first parent. */
  stat: string
  /** The patch, cut at `maxBytes`. */
  patch: string
  truncated: boolean
}

export interface CommitDiffOptions {
  maxBytes?: number
  timeoutMs?: number
  signal?: AbortSignal
  clock?: Clock
}

const DEFAULT_MAX_BYTES = 512 * 1024

/**
 * What a commit changed against its first parent (a merge of the queue shows exactly what it
 * brought to the project branch; a root commit shows everything). No external diff drivers or
 * text conversions: repository config an agent wrote cannot run a program here.
 */
export async function readCommitDiff(
  projectDir: string,
  commit: string,
  options: CommitDiffOptions = {},
): Promise<Result<CommitDiff, WorkspaceError>> {
  if (!/^[0-9a-f]{7,64}$/.test(commit))
    return {
      ok: false,
      error: { code: 'GIT_FAILED', message: `"${commit}" is not a commit id (hex, 7-64 digits).` },
    }
  const base = [
    'diff-tree',
    '--no-commit-id',
    '--no-ext-diff',
    '--no-textconv',
    '--no-color',
    '--diff-merges=first-parent',
    '--root',
    '-r',
  ]
  try {
    const context = gitContext(options)
    const stat = await gitOk(projectDir, [...base, '--stat', commit, '--'], context)
    const patch = await gitOk(projectDir, [...base, '-p', commit, '--'], context)
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
    const truncated = Buffer.byteLength(patch) > maxBytes
    return ok({
      commit,
      stat,
      patch: truncated ? Buffer.from(patch).subarray(0, maxBytes).toString('utf8') : patch,
      truncated,
    })
  } catch (thrown) {
    return { ok: false, error: toWorkspaceError(thrown) }
  }
}
