import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { repoRoot } from '../../helpers/cli.js'
import { tempDir } from '../../helpers/tmp.js'
import {
  createMergeQueue,
  createWorktree,
  pruneOrphanWorktrees,
  recoverWorkspace,
} from '../../../src/workspace/index.js'
import { buildMergeCommit } from '../../../src/workspace/merge-commit.js'
import { gitContext } from '../../../src/workspace/git.js'
import { publishMerge } from '../../../src/workspace/publish.js'
import { gitSync, queueMerges, readText, tempProject, writeFiles } from './fixture.js'

describe('recoverWorkspace', () => {
  let project: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    project = await tempProject({ 'README.md': '# demo\n', 'src/a.js': 'a\n', 'src/b.js': 'b\n' })
  })
  afterEach(() => project[Symbol.dispose]())

  /** A verified merge commit M that modifies a.js, adds new.js and (unless told not to) deletes b.js. */
  async function mergeCommit({ deletes = true } = {}): Promise<{ from: string; to: string }> {
    const created = await createWorktree({
      projectDir: project.path,
      agentId: 'coding-1',
      baseBranch: 'main',
    })
    if (!created.ok) throw new Error(created.error.message)
    writeFiles(created.value.path, { 'src/a.js': 'a merged\n', 'src/new.js': 'new\n' })
    if (deletes) gitSync(created.value.path, 'rm', '-q', 'src/b.js')
    gitSync(created.value.path, 'add', '-A')
    gitSync(created.value.path, 'commit', '-qm', 'work')
    const from = gitSync(project.path, 'rev-parse', 'main')
    const built = await buildMergeCommit(
      {
        projectDir: project.path,
        baseCommit: from,
        agentCommit: gitSync(project.path, 'rev-parse', created.value.branch),
        agentId: 'coding-1',
        featureIds: [1],
        message: 'Feature 1',
      },
      gitContext({}),
    )
    if (built.kind !== 'clean') throw new Error('expected a clean merge')
    return { from, to: built.commit }
  }

  /** The state a kill -9 leaves in the middle of moving main: journal written, one file updated. */
  function interruptedPublish(from: string, to: string, { indexLock = false } = {}): void {
    const changes = [
      { path: 'src/a.js', deleted: false },
      { path: 'src/b.js', deleted: true },
      { path: 'src/new.js', deleted: false },
    ]
    const journal = {
      version: 1,
      projectDir: project.path,
      branch: 'main',
      from,
      to,
      checkoutDir: project.path,
      changes,
    }
    writeFileSync(join(project.path, '.autocoder', 'merge-publish.json'), JSON.stringify(journal))
    writeFiles(project.path, { 'src/a.js': 'a merged\n' })
    if (indexLock) writeFileSync(join(project.path, '.git', 'index.lock'), '')
  }

  it('finishes a branch move that a kill interrupted, leaving a clean checkout at the merge', async () => {
    const { from, to } = await mergeCommit()
    interruptedPublish(from, to, { indexLock: true })
    const report = await recoverWorkspace(project.path)
    expect(report).toMatchObject({
      ok: true,
      value: { publish: { result: 'completed', commit: to } },
    })
    expect(gitSync(project.path, 'rev-parse', 'main')).toBe(to)
    expect(gitSync(project.path, 'status', '--porcelain')).toBe('')
    expect(readText(project.path, 'src/new.js')).toBe('new\n')
    expect(existsSync(join(project.path, 'src/b.js'))).toBe(false)
    expect(existsSync(join(project.path, '.autocoder', 'merge-publish.json'))).toBe(false)
    expect(existsSync(join(project.path, '.git', 'index.lock'))).toBe(false)
  })

  it('keeps the checkout on its branch when git never receives the paths to update (writer killed)', async () => {
    // A process killed between starting git and writing the path list to it leaves a git that
    // reads an empty list. Here a git on PATH reads nothing for a list given on standard input.
    const realGit = execFileSync('which', ['git'], { encoding: 'utf8' }).trim()
    using bin = tempDir('autocoder-deaf-git-')
    writeFileSync(
      join(bin.path, 'git'),
      `#!/bin/sh\nfor a in "$@"; do [ "$a" = --pathspec-from-file=- ] && exec ${realGit} "$@" </dev/null; done\nexec ${realGit} "$@"\n`,
      { mode: 0o755 },
    )
    const { from, to } = await mergeCommit({ deletes: false })
    const head = gitSync(project.path, 'rev-parse', 'main')
    const path = process.env['PATH']
    process.env['PATH'] = `${bin.path}:${path ?? ''}`
    try {
      await expect(
        publishMerge({ projectDir: project.path, branch: 'main', from, to }, gitContext({})),
      ).rejects.toThrow(/pathspec|path\(s\)/)
    } finally {
      process.env['PATH'] = path
    }
    expect(gitSync(project.path, 'symbolic-ref', '--short', 'HEAD')).toBe('main')
    expect(gitSync(project.path, 'rev-parse', 'main')).toBe(head)
    // With the paths delivered again, recovery finishes the move from the journal.
    const report = await recoverWorkspace(project.path)
    expect(report).toMatchObject({ ok: true, value: { publish: { result: 'completed' } } })
    expect(gitSync(project.path, 'symbolic-ref', '--short', 'HEAD')).toBe('main')
    expect(gitSync(project.path, 'rev-parse', 'main')).toBe(to)
    expect(gitSync(project.path, 'status', '--porcelain')).toBe('')
    expect(readText(project.path, 'src/new.js')).toBe('new\n')
  })

  it('abandons the move, keeping the file, when someone edited a changed file since the kill', async () => {
    const { from, to } = await mergeCommit()
    interruptedPublish(from, to)
    writeFiles(project.path, { 'src/new.js': 'typed by hand\n' })
    const report = await recoverWorkspace(project.path)
    expect(report).toMatchObject({ ok: true, value: { publish: { result: 'abandoned' } } })
    expect(report.ok && report.value.publish?.detail).toContain('src/new.js')
    expect(gitSync(project.path, 'rev-parse', 'main')).toBe(from)
    expect(readText(project.path, 'src/new.js')).toBe('typed by hand\n')
  })

  it('removes the verification worktree, aborts half-done merges and stale locks in agent worktrees', async () => {
    const one = await createWorktree({
      projectDir: project.path,
      agentId: 'coding-1',
      baseBranch: 'main',
    })
    const two = await createWorktree({
      projectDir: project.path,
      agentId: 'coding-2',
      baseBranch: 'main',
    })
    if (!one.ok || !two.ok) throw new Error('worktrees')
    writeFiles(two.value.path, { 'src/a.js': 'two\n' })
    gitSync(two.value.path, 'commit', '-qam', 'two')
    writeFiles(one.value.path, { 'src/a.js': 'one\n' })
    gitSync(one.value.path, 'commit', '-qam', 'one')
    // A merge the agent left in conflict, as if killed mid-way.
    expect(() => gitSync(one.value.path, 'merge', '-q', two.value.branch)).toThrow()
    const gitDirTwo = gitSync(two.value.path, 'rev-parse', '--absolute-git-dir')
    writeFileSync(join(gitDirTwo, 'index.lock'), '')
    mkdirSync(join(project.path, '.autocoder', 'merge-check'), { recursive: true })
    gitSync(
      project.path,
      'worktree',
      'add',
      '-q',
      '-f',
      '--detach',
      join(project.path, '.autocoder', 'merge-check'),
    )

    const report = await recoverWorkspace(project.path)
    expect(report).toMatchObject({
      ok: true,
      value: { publish: null, abortedOperations: ['coding-1: MERGE_HEAD'] },
    })
    expect(report.ok && report.value.removedLocks).toContain(join(gitDirTwo, 'index.lock'))
    expect(gitSync(one.value.path, 'status', '--porcelain')).toBe('')
    expect(existsSync(join(project.path, '.autocoder', 'merge-check'))).toBe(false)
    expect(gitSync(project.path, 'worktree', 'list')).not.toContain('merge-check')
  })
})

/*
 * Crash safety: a worker merges in a loop and is killed with SIGKILL at a random moment, five
 * times. After each kill, recoverWorkspace + pruneOrphanWorktrees must leave: main checked out and
 * consistent with its files (only the user's own edit uncommitted), no worktree, no agent branch,
 * no journal or lock, only queue merges on main, each with its feature; and the queue works again.
 */
describe('recoverWorkspace after kill -9 at random moments', () => {
  let project: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    project = await tempProject({ 'README.md': '# demo\n', 'notes.md': 'notes\n' })
  })
  afterEach(() => project[Symbol.dispose]())

  it('leaves a consistent repository after each of five kills, and merging resumes', async () => {
    writeFiles(project.path, { 'notes.md': 'the user is typing\n' })
    const kills = 5
    for (let round = 0; round < kills; round++) {
      const delayMs = 100 + Math.floor(Math.random() * 1500)
      const lines = await runAndKill(project.path, round * 1000, delayMs)
      const recovered = await recoverWorkspace(project.path)
      expect(recovered.ok, `round ${round}: ${JSON.stringify(recovered)}`).toBe(true)
      expect((await pruneOrphanWorktrees(project.path, [])).ok).toBe(true)
      assertConsistent(
        project.path,
        `round ${round} (killed after ${delayMs} ms, saw: ${lines.join(', ')})`,
      )
    }
    const created = await createWorktree({
      projectDir: project.path,
      agentId: 'coding-9',
      baseBranch: 'main',
    })
    if (!created.ok) throw new Error(created.error.message)
    writeFiles(created.value.path, { 'after.txt': 'after\n' })
    const queue = createMergeQueue({ projectDir: project.path, branch: 'main' })
    expect(
      await queue.enqueue({
        agentId: 'coding-9',
        worktreeBranch: created.value.branch,
        featureIds: [99],
        message: 'after',
      }),
    ).toMatchObject({ kind: 'merged' })
    await queue.close()
    expect(readText(project.path, 'after.txt')).toBe('after\n')
  }, 120_000)
})

function runAndKill(projectDir: string, firstIndex: number, delayMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const worker = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, 'crash-worker.ts'),
        projectDir,
        String(firstIndex),
      ],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    const lines: string[] = []
    let stderr = ''
    worker.stdout.setEncoding('utf8').on('data', (text: string) => {
      for (const line of text.split('\n').filter(Boolean)) {
        lines.push(line)
        if (line === 'ready') setTimeout(() => worker.kill('SIGKILL'), delayMs)
      }
    })
    worker.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
    worker.on('error', reject)
    worker.on('close', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(lines)
      else reject(new Error(`worker ended before the kill: ${stderr}`))
    })
  })
}

function assertConsistent(projectDir: string, label: string): void {
  expect(gitSync(projectDir, 'symbolic-ref', '--short', 'HEAD'), label).toBe('main')
  expect(gitSync(projectDir, 'status', '--porcelain'), label).toBe('M notes.md')
  expect(
    gitSync(projectDir, 'worktree', 'list', '--porcelain').match(/^worktree /gm),
    label,
  ).toHaveLength(1)
  expect(gitSync(projectDir, 'branch', '--list', 'autocoder/*'), label).toBe('')
  expect(existsSync(join(projectDir, '.autocoder', 'merge-publish.json')), label).toBe(false)
  expect(existsSync(join(projectDir, '.autocoder', 'merge-check')), label).toBe(false)
  expect(existsSync(join(projectDir, '.git', 'index.lock')), label).toBe(false)
  // Every commit on main after the first is a queue merge that carries its feature file.
  const merges = queueMerges(projectDir)
  expect(Number(gitSync(projectDir, 'rev-list', '--first-parent', '--count', 'main')), label).toBe(
    merges.length + 1,
  )
  for (const commit of merges) {
    const feature = /Autocoder-Features: (\d+)/.exec(
      gitSync(projectDir, 'log', '-1', '--format=%B', commit),
    )?.[1]
    expect(gitSync(projectDir, 'ls-tree', '--name-only', commit), label).toContain(
      `feature-${feature}.txt`,
    )
  }
  gitSync(projectDir, 'fsck', '--no-dangling', '--connectivity-only')
}
