/**
 * Time per merge through the merge queue (no check command) on a project of 300 files in 30
 * directories: each batch is an agent worktree with one committed change and one uncommitted file,
 * merged into `main` while `main` is checked out in the project directory (so the user's checkout
 * moves too). Worktree creation is timed separately. Goal: well under 500 ms per merge.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import {
  createMergeQueue,
  createWorktree,
  ensureRepository,
  removeWorktree,
} from '../src/workspace/index.js'

const fileCount = 300
const merges = 12

function percentile(sorted: number[], p: number): number {
  return Number(
    (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0).toFixed(1),
  )
}

const projectDir = mkdtempSync(join(tmpdir(), 'autocoder-bench-merge-'))
try {
  for (let index = 0; index < fileCount; index++) {
    const dir = join(projectDir, 'src', `module-${index % 30}`)
    mkdirSync(dir, { recursive: true })
    writeFileSync(
      join(dir, `file-${index}.ts`),
      `export const value${index} = ${index}\n`.repeat(20),
    )
  }
  const repo = await ensureRepository(projectDir)
  if (!repo.ok) throw new Error(repo.error.message)
  const queue = createMergeQueue({ projectDir, branch: repo.value.branch })

  const mergeMs: number[] = []
  const createMs: number[] = []
  for (let batch = 0; batch < merges; batch++) {
    const agentId = `coding-${batch % 3}`
    let start = performance.now()
    const created = await createWorktree({ projectDir, agentId, baseBranch: repo.value.branch })
    if (!created.ok) throw new Error(created.error.message)
    createMs.push(performance.now() - start)
    const path = created.value.path
    writeFileSync(
      join(path, 'src', `module-${batch % 30}`, `file-${batch}.ts`),
      `export const changed = ${batch}\n`,
    )
    execFileSync('git', ['commit', '-qam', `work ${batch}`], { cwd: path })
    writeFileSync(join(path, `notes-${batch}.md`), 'uncommitted\n')

    start = performance.now()
    const outcome = await queue.enqueue({
      agentId,
      worktreeBranch: created.value.branch,
      featureIds: [batch + 1],
      message: `Feature ${batch + 1}`,
    })
    mergeMs.push(performance.now() - start)
    if (outcome.kind !== 'merged') throw new Error(`merge ${batch}: ${JSON.stringify(outcome)}`)
    await removeWorktree({ projectDir, agentId })
  }
  await queue.close()
  mergeMs.sort((a, b) => a - b)
  createMs.sort((a, b) => a - b)
  console.log(
    JSON.stringify({
      bench: 'merge-queue',
      files: fileCount,
      merges,
      mergeMedianMs: percentile(mergeMs, 0.5),
      mergeP90Ms: percentile(mergeMs, 0.9),
      createWorktreeMedianMs: percentile(createMs, 0.5),
      goalMs: 500,
      met: percentile(mergeMs, 0.5) < 500,
    }),
  )
} finally {
  rmSync(projectDir, { recursive: true, force: true })
}
