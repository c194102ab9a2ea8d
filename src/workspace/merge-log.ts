import { type Clock, ok, type Result } from '../core/index.js'
import { type WorkspaceError, toWorkspaceError } from './errors.js'
import { gitContext, gitOk, splitNul } from './git.js'
import { agentTrailer, featuresTrailer } from './merge-commit.js'

/** One batch merge on the project branch, read back from its trailers. */
export interface MergeRecord {
  commit: string
  agentId: string
  featureIds: number[]
  subject: string
}

export interface ReadMergeLogOptions {
  /** Only merges after this commit (exclusive). */
  since?: string
  maxCount?: number
  timeoutMs?: number
  signal?: AbortSignal
  clock?: Clock
}

/**
 * The merge queue's commits on `branch` (first-parent history, newest first). Lets a restarted
 * orchestrator find batches that were merged but not yet recorded, and tests count merges.
 */
export async function readMergeLog(
  projectDir: string,
  branch: string,
  options: ReadMergeLogOptions = {},
): Promise<Result<MergeRecord[], WorkspaceError>> {
  try {
    const range =
      options.since === undefined
        ? `refs/heads/${branch}`
        : `${options.since}..refs/heads/${branch}`
    const args = [
      'log',
      '--first-parent',
      '-z',
      '--format=%H%n%B',
      `--grep=^${agentTrailer}: `,
      ...(options.maxCount === undefined ? [] : [`--max-count=${options.maxCount}`]),
      range,
      '--',
    ]
    const output = await gitOk(projectDir, args, gitContext(options))
    return ok(splitNul(output).flatMap(parseRecord))
  } catch (thrown) {
    return { ok: false, error: toWorkspaceError(thrown) }
  }
}

function parseRecord(entry: string): MergeRecord[] {
  const [commit = '', ...lines] = entry.split('\n')
  const value = (key: string): string | undefined =>
    lines
      .find((line) => line.startsWith(`${key}: `))
      ?.slice(key.length + 2)
      .trim()
  const agentId = value(agentTrailer)
  if (agentId === undefined) return []
  const featureIds = (value(featuresTrailer) ?? '')
    .split(',')
    .map((id) => Number.parseInt(id, 10))
    .filter((id) => Number.isInteger(id))
  return [{ commit, agentId, featureIds, subject: lines[0] ?? '' }]
}
