// Merges agent work in a loop until killed: the subject of the kill -9 crash test.
// Usage: node --import tsx crash-worker.ts <projectDir> <firstIndex>
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { createMergeQueue, createWorktree, removeWorktree } from '../../../src/workspace/index.js'

const [projectDir = '', first = '0'] = process.argv.slice(2)
const queue = createMergeQueue({
  projectDir,
  branch: 'main',
  checkCommand: [process.execPath, '-e', 'process.exit(0)'],
  timeoutMs: 30_000,
})

console.log('ready')
for (let index = Number(first); ; index++) {
  const agentId = `coding-${index % 3}`
  const created = await createWorktree({ projectDir, agentId, baseBranch: 'main' })
  if (!created.ok) throw new Error(created.error.message)
  // Half the batches leave their work uncommitted, so the queue commits it.
  writeFileSync(join(created.value.path, `feature-${index}.txt`), `feature ${index}\n`)
  writeFileSync(join(created.value.path, 'progress.txt'), `last feature ${index}\n`)
  const outcome = await queue.enqueue({
    agentId,
    worktreeBranch: created.value.branch,
    featureIds: [index],
    message: `Feature ${index}`,
  })
  console.log(`${outcome.kind} ${index}`)
  await removeWorktree({ projectDir, agentId })
}
