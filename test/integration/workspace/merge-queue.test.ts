import { existsSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import {
  type CheckRunner,
  type MergeQueue,
  createMergeQueue,
  createWorktree,
  readMergeLog,
  type Worktree,
} from '../../../src/workspace/index.js'
import { gitSync, queueMerges, readText, tempProject, writeFiles } from './fixture.js'

const files = {
  'README.md': '# demo\n',
  'shared.txt': 'line 1\nline 2\nline 3\n',
  'src/a.js': 'a\n',
  'src/b.js': 'b\n',
}

describe('merge queue', () => {
  let project: Awaited<ReturnType<typeof tempProject>>
  let queue: MergeQueue | undefined
  beforeEach(async () => {
    project = await tempProject(files)
  })
  afterEach(async () => {
    await queue?.close()
    queue = undefined
    project[Symbol.dispose]()
  })

  async function agent(
    agentId: string,
    edits: Record<string, string>,
    commit = true,
  ): Promise<Worktree> {
    const created = await createWorktree({ projectDir: project.path, agentId, baseBranch: 'main' })
    if (!created.ok) throw new Error(created.error.message)
    writeFiles(created.value.path, edits)
    if (commit) {
      gitSync(created.value.path, 'add', '-A')
      gitSync(created.value.path, 'commit', '-qm', `${agentId} work`)
    }
    return created.value
  }

  function request(worktree: Worktree, featureIds: number[]) {
    return {
      agentId: worktree.agentId,
      worktreeBranch: worktree.branch,
      featureIds,
      message: `Features ${featureIds.join(', ')}`,
    }
  }

  it('merges two agents that edited different files: two merge commits, both changes on the project branch', async () => {
    const one = await agent('coding-1', { 'src/a.js': 'a from one\n' })
    const two = await agent('coding-2', { 'src/b.js': 'b from two\n' })
    queue = createMergeQueue({ projectDir: project.path, branch: 'main' })

    const first = await queue.enqueue(request(one, [3, 4]))
    const second = await queue.enqueue(request(two, [5]))
    expect(first).toMatchObject({ kind: 'merged' })
    expect(second).toMatchObject({ kind: 'merged' })

    expect(queueMerges(project.path)).toHaveLength(2)
    expect(gitSync(project.path, 'rev-list', '--merges', '--count', 'main')).toBe('2')
    expect(gitSync(project.path, 'rev-parse', 'main')).toBe(
      second.kind === 'merged' ? second.commit : '',
    )
    // The user's checkout of main moved along and is clean.
    expect(readText(project.path, 'src/a.js')).toBe('a from one\n')
    expect(readText(project.path, 'src/b.js')).toBe('b from two\n')
    expect(gitSync(project.path, 'status', '--porcelain')).toBe('')

    const log = await readMergeLog(project.path, 'main')
    expect(log.ok && log.value.map(({ agentId, featureIds }) => ({ agentId, featureIds }))).toEqual(
      [
        { agentId: 'coding-2', featureIds: [5] },
        { agentId: 'coding-1', featureIds: [3, 4] },
      ],
    )
    expect(gitSync(project.path, 'log', '-1', '--format=%B', 'main')).toContain(
      'Autocoder-Features: 5',
    )
    const since = await readMergeLog(project.path, 'main', {
      since: first.kind === 'merged' ? first.commit : '',
    })
    expect(since.ok && since.value.map((record) => record.agentId)).toEqual(['coding-2'])
  })

  it('reports a conflict with the conflicted files and leaves the branch and checkout untouched', async () => {
    const one = await agent('coding-1', { 'shared.txt': 'line 1\nline 2 by one\nline 3\n' })
    const two = await agent('coding-2', { 'shared.txt': 'line 1\nline 2 by two\nline 3\n' })
    queue = createMergeQueue({ projectDir: project.path, branch: 'main' })
    expect(await queue.enqueue(request(one, [1]))).toMatchObject({ kind: 'merged' })
    const head = gitSync(project.path, 'rev-parse', 'main')

    const outcome = await queue.enqueue(request(two, [2]))
    expect(outcome).toMatchObject({ kind: 'conflict', files: ['shared.txt'] })
    expect(outcome.kind === 'conflict' && outcome.detail).toContain('CONFLICT')
    expect(gitSync(project.path, 'rev-parse', 'main')).toBe(head)
    expect(gitSync(project.path, 'status', '--porcelain')).toBe('')
    expect(gitSync(two.path, 'status', '--porcelain')).toBe('')
    expect(readText(project.path, 'shared.txt')).toContain('by one')
  })

  it('keeps the branch where it was when the check fails, and returns the check output', async () => {
    const one = await agent('coding-1', { 'src/a.js': 'broken\n' })
    const check = [
      'node',
      '-e',
      "const s=require('fs').readFileSync('src/a.js','utf8'); if (s.includes('broken')) { console.log('a.js is broken'); process.exit(3) }",
    ]
    queue = createMergeQueue({ projectDir: project.path, branch: 'main', checkCommand: check })
    const head = gitSync(project.path, 'rev-parse', 'main')

    const outcome = await queue.enqueue(request(one, [7]))
    expect(outcome).toEqual({ kind: 'check_failed', exitCode: 3, output: 'a.js is broken\n' })
    expect(gitSync(project.path, 'rev-parse', 'main')).toBe(head)
    expect(readText(project.path, 'src/a.js')).toBe('a\n')
  })

  it('runs the check on the merged result, before the branch moves', async () => {
    const one = await agent('coding-1', { 'src/a.js': 'a from one\n' })
    const two = await agent('coding-2', { 'src/b.js': 'b from two\n' })
    const check = [
      'node',
      '-e',
      "const fs=require('fs'); console.log(fs.readFileSync('src/a.js','utf8').trim(), '+', fs.readFileSync('src/b.js','utf8').trim())",
    ]
    queue = createMergeQueue({ projectDir: project.path, branch: 'main', checkCommand: check })
    await queue.enqueue(request(one, [1]))
    const outcome = await queue.enqueue(request(two, [2]))
    expect(outcome).toMatchObject({ kind: 'merged', checkOutput: 'a from one + b from two\n' })
  })

  it('serialises five merges enqueued at once: never two at a time, five merge commits', async () => {
    const agents = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => agent(`coding-${n}`, { [`src/f${n}.js`]: `${n}\n` })),
    )
    let running = 0
    let maxRunning = 0
    const runCheck: CheckRunner = async (_command, cwd) => {
      running++
      maxRunning = Math.max(maxRunning, running)
      await new Promise((resolve) => setImmediate(resolve))
      const present = [1, 2, 3, 4, 5].filter((n) => existsSync(join(cwd, `src/f${n}.js`))).length
      running--
      return { exitCode: 0, output: `files ${present}` }
    }
    queue = createMergeQueue({
      projectDir: project.path,
      branch: 'main',
      checkCommand: ['check'],
      runCheck,
    })
    const outcomes = await Promise.all(
      agents.map((worktree, index) => queue!.enqueue(request(worktree, [index + 1]))),
    )

    expect(maxRunning).toBe(1)
    expect(outcomes.map((outcome) => outcome.kind)).toEqual([
      'merged',
      'merged',
      'merged',
      'merged',
      'merged',
    ])
    // Each check saw the previous merges: the queue verified merge n on top of merges 1..n-1.
    expect(
      outcomes.map((outcome) => (outcome.kind === 'merged' ? outcome.checkOutput : '')),
    ).toEqual(['files 1', 'files 2', 'files 3', 'files 4', 'files 5'])
    expect(queueMerges(project.path)).toHaveLength(5)
    expect(queue.size).toBe(0)
  })

  it('commits work the agent left uncommitted, naming the features', async () => {
    const one = await agent('coding-1', { 'src/new.js': 'new\n' }, false)
    queue = createMergeQueue({ projectDir: project.path, branch: 'main' })
    expect(await queue.enqueue(request(one, [8, 9]))).toMatchObject({ kind: 'merged' })
    expect(readText(project.path, 'src/new.js')).toBe('new\n')
    expect(gitSync(project.path, 'log', '-1', '--format=%s', 'main^2')).toContain('features #8, #9')
  })

  it('still records one merge commit for a batch that changed nothing', async () => {
    const idle = await agent('coding-1', {}, false)
    queue = createMergeQueue({ projectDir: project.path, branch: 'main' })
    const outcome = await queue.enqueue(request(idle, [4]))
    expect(outcome).toMatchObject({ kind: 'merged' })
    expect(gitSync(project.path, 'rev-list', '--merges', '--count', 'main')).toBe('1')
    expect(gitSync(project.path, 'diff', '--stat', 'main^1', 'main')).toBe('')
  })

  it('keeps uncommitted user changes in files the merge does not touch', async () => {
    const one = await agent('coding-1', { 'src/a.js': 'a from one\n' })
    writeFiles(project.path, { 'README.md': '# my local notes\n', 'scratch.txt': 'mine\n' })
    queue = createMergeQueue({ projectDir: project.path, branch: 'main' })
    expect(await queue.enqueue(request(one, [1]))).toMatchObject({ kind: 'merged' })
    expect(readText(project.path, 'README.md')).toBe('# my local notes\n')
    expect(readText(project.path, 'src/a.js')).toBe('a from one\n')
    const status = gitSync(project.path, 'status', '--porcelain').split('\n')
    expect(status.map((line) => line.trim()).sort()).toEqual(['?? scratch.txt', 'M README.md'])
  })

  it('refuses to move the branch over uncommitted user changes in a file the merge changes', async () => {
    const one = await agent('coding-1', { 'src/a.js': 'a from one\n' })
    writeFiles(project.path, { 'src/a.js': 'my own edit\n' })
    const head = gitSync(project.path, 'rev-parse', 'main')
    queue = createMergeQueue({ projectDir: project.path, branch: 'main' })
    const outcome = await queue.enqueue(request(one, [1]))
    expect(outcome).toMatchObject({ kind: 'error', code: 'CHECKOUT_CONFLICT' })
    expect(outcome.kind === 'error' && outcome.message).toContain('src/a.js')
    expect(gitSync(project.path, 'rev-parse', 'main')).toBe(head)
    expect(readText(project.path, 'src/a.js')).toBe('my own edit\n')
  })

  it('moves only the ref when the project branch is not checked out', async () => {
    const one = await agent('coding-1', { 'src/a.js': 'a from one\n' })
    gitSync(project.path, 'switch', '-q', '-c', 'elsewhere')
    queue = createMergeQueue({ projectDir: project.path, branch: 'main' })
    expect(await queue.enqueue(request(one, [1]))).toMatchObject({ kind: 'merged' })
    expect(gitSync(project.path, 'show', 'main:src/a.js')).toBe('a from one')
    expect(readText(project.path, 'src/a.js')).toBe('a\n')
    expect(gitSync(project.path, 'status', '--porcelain')).toBe('')
  })

  it('rebuilds the merge on the new tip when the user commits on the branch meanwhile', async () => {
    const one = await agent('coding-1', { 'src/a.js': 'a from one\n' })
    let userCommitted = false
    const runCheck: CheckRunner = () => {
      if (!userCommitted) {
        userCommitted = true
        writeFiles(project.path, { 'USER.md': 'by hand\n' })
        gitSync(project.path, 'add', 'USER.md')
        gitSync(project.path, 'commit', '-qm', 'user commit')
      }
      return Promise.resolve({ exitCode: 0, output: 'ok' })
    }
    queue = createMergeQueue({
      projectDir: project.path,
      branch: 'main',
      checkCommand: ['check'],
      runCheck,
    })
    expect(await queue.enqueue(request(one, [1]))).toMatchObject({ kind: 'merged' })
    expect(
      gitSync(project.path, 'log', '--first-parent', '--format=%s', 'main').split('\n').slice(0, 2),
    ).toEqual(['Features 1', 'user commit'])
    expect(readText(project.path, 'src/a.js')).toBe('a from one\n')
    expect(gitSync(project.path, 'status', '--porcelain')).toBe('')
  })

  it('answers BRANCH_NOT_FOUND for an agent branch that does not exist', async () => {
    queue = createMergeQueue({ projectDir: project.path, branch: 'main' })
    const outcome = await queue.enqueue({
      agentId: 'x',
      worktreeBranch: 'autocoder/x',
      featureIds: [1],
      message: 'm',
    })
    expect(outcome).toMatchObject({ kind: 'error', code: 'BRANCH_NOT_FOUND' })
  })
  it('fails the check, leaving the branch alone, when the check runs past its timeout', async () => {
    const one = await agent('coding-1', { 'src/a.js': 'slow\n' })
    const head = gitSync(project.path, 'rev-parse', 'main')
    const check = [process.execPath, '-e', "console.log('started'); setInterval(() => {}, 1000)"]
    queue = createMergeQueue({
      projectDir: project.path,
      branch: 'main',
      checkCommand: check,
      timeoutMs: 300,
    })
    const outcome = await queue.enqueue(request(one, [1]))
    expect(outcome).toMatchObject({ kind: 'check_failed', exitCode: null })
    expect(outcome.kind === 'check_failed' && outcome.output).toContain('longer than 300 ms')
    expect(gitSync(project.path, 'rev-parse', 'main')).toBe(head)
  })

  it('answers ABORTED and leaves the branch alone when the request is aborted', async () => {
    const one = await agent('coding-1', { 'src/a.js': 'a from one\n' })
    const head = gitSync(project.path, 'rev-parse', 'main')
    const controller = new AbortController()
    const runCheck: CheckRunner = () => {
      controller.abort()
      return Promise.resolve({ exitCode: 0, output: 'passed, but too late' })
    }
    queue = createMergeQueue({
      projectDir: project.path,
      branch: 'main',
      checkCommand: ['check'],
      runCheck,
    })
    const outcome = await queue.enqueue({ ...request(one, [1]), signal: controller.signal })
    expect(outcome).toMatchObject({ kind: 'error', code: 'ABORTED' })
    expect(gitSync(project.path, 'rev-parse', 'main')).toBe(head)
  })

  it('refuses to merge a worktree that the agent left in the middle of a merge', async () => {
    const one = await agent('coding-1', { 'shared.txt': 'one\n' })
    const two = await agent('coding-2', { 'shared.txt': 'two\n' })
    expect(() => gitSync(one.path, 'merge', '-q', two.branch)).toThrow()
    queue = createMergeQueue({ projectDir: project.path, branch: 'main' })
    const outcome = await queue.enqueue(request(one, [1]))
    expect(outcome).toMatchObject({ kind: 'error', code: 'WORKTREE_BUSY' })
    expect(outcome.kind === 'error' && outcome.message).toContain('MERGE_HEAD')
  })

  it('answers QUEUE_CLOSED after close, and close waits for queued merges', async () => {
    const one = await agent('coding-1', { 'src/a.js': 'a from one\n' })
    const closing = createMergeQueue({ projectDir: project.path, branch: 'main' })
    const merged = closing.enqueue(request(one, [1]))
    await closing.close()
    expect(await merged).toMatchObject({ kind: 'merged' })
    expect(await closing.enqueue(request(one, [2]))).toMatchObject({
      kind: 'error',
      code: 'QUEUE_CLOSED',
    })
  })
  it('gives the check the project node_modules, also when the verification worktree is reused', async () => {
    writeFiles(project.path, { 'node_modules/greeting/index.js': "module.exports = 'hello'\n" })
    const one = await agent('coding-1', { 'src/a.js': 'a from one\n' })
    const two = await agent('coding-2', { 'src/b.js': 'b from two\n' })
    const check = [process.execPath, '-e', "console.log(require('greeting'))"]
    queue = createMergeQueue({ projectDir: project.path, branch: 'main', checkCommand: check })
    expect(await queue.enqueue(request(one, [1]))).toMatchObject({
      kind: 'merged',
      checkOutput: 'hello\n',
    })
    expect(await queue.enqueue(request(two, [2]))).toMatchObject({
      kind: 'merged',
      checkOutput: 'hello\n',
    })
    expect(readText(project.path, 'node_modules/greeting/index.js')).toContain('hello')
  })
  it('fails the check with the reason when the injected runner throws (for example a policy error)', async () => {
    const one = await agent('coding-1', { 'src/a.js': 'a from one\n' })
    const runCheck: CheckRunner = () =>
      Promise.reject(new Error('policy could not parse the command'))
    queue = createMergeQueue({
      projectDir: project.path,
      branch: 'main',
      checkCommand: 'npm test',
      runCheck,
    })
    expect(await queue.enqueue(request(one, [1]))).toEqual({
      kind: 'check_failed',
      exitCode: null,
      output: 'The check could not run: policy could not parse the command',
    })
  })
  it('serialises merges of two queues on the same project, and skips the check when asked', async () => {
    const agents = await Promise.all(
      [1, 2, 3, 4].map((n) => agent(`coding-${n}`, { [`src/f${n}.js`]: `${n}\n` })),
    )
    let running = 0
    let maxRunning = 0
    let checks = 0
    const runCheck: CheckRunner = async () => {
      checks++
      running++
      maxRunning = Math.max(maxRunning, running)
      await new Promise((resolve) => setTimeout(resolve, 20))
      running--
      return { exitCode: 0, output: 'ok' }
    }
    const checked = createMergeQueue({
      projectDir: project.path,
      branch: 'main',
      checkCommand: ['check'],
      runCheck,
    })
    const other = createMergeQueue({
      projectDir: project.path,
      branch: 'main',
      checkCommand: ['check'],
      runCheck,
    })
    const outcomes = await Promise.all([
      checked.enqueue(request(agents[0]!, [1])),
      other.enqueue(request(agents[1]!, [2])),
      checked.enqueue(request(agents[2]!, [3])),
      other.enqueue({ ...request(agents[3]!, [4]), skipCheck: true }),
    ])
    await Promise.all([checked.close(), other.close()])
    expect(outcomes.map((outcome) => outcome.kind)).toEqual([
      'merged',
      'merged',
      'merged',
      'merged',
    ])
    expect(maxRunning).toBe(1)
    expect(checks).toBe(3)
    expect(queueMerges(project.path)).toHaveLength(4)
    expect(existsSync(join(project.path, '.autocoder', 'merge-check'))).toBe(false)
  })
  it('refuses to overwrite an untracked user file at a path the merge adds', async () => {
    const one = await agent('coding-1', { 'src/new.js': 'from the agent\n' })
    writeFiles(project.path, { 'src/new.js': 'the user was here first\n' })
    queue = createMergeQueue({ projectDir: project.path, branch: 'main' })
    expect(await queue.enqueue(request(one, [1]))).toMatchObject({
      kind: 'error',
      code: 'CHECKOUT_CONFLICT',
    })
    expect(readText(project.path, 'src/new.js')).toBe('the user was here first\n')
  })

  it('keeps what the user staged in other files staged', async () => {
    const one = await agent('coding-1', { 'src/a.js': 'a from one\n' })
    writeFiles(project.path, { 'src/b.js': 'b staged by the user\n' })
    gitSync(project.path, 'add', 'src/b.js')
    queue = createMergeQueue({ projectDir: project.path, branch: 'main' })
    expect(await queue.enqueue(request(one, [1]))).toMatchObject({ kind: 'merged' })
    expect(gitSync(project.path, 'diff', '--cached', '--name-only')).toBe('src/b.js')
    expect(gitSync(project.path, 'diff', '--name-only')).toBe('')
    expect(readText(project.path, 'src/a.js')).toBe('a from one\n')
  })
  it('refuses to merge when the agent switched its worktree to another branch', async () => {
    const one = await agent('coding-1', { 'src/a.js': 'a from one\n' })
    gitSync(one.path, 'switch', '-q', '-c', 'side-quest')
    writeFiles(one.path, { 'src/a.js': 'work on the wrong branch\n' })
    queue = createMergeQueue({ projectDir: project.path, branch: 'main' })
    const outcome = await queue.enqueue(request(one, [1]))
    expect(outcome).toMatchObject({ kind: 'error', code: 'WORKTREE_BRANCH_MISMATCH' })
    expect(outcome.kind === 'error' && outcome.message).toContain('side-quest')
  })

  it('merges the work of an agent that made a branch named HEAD, which makes HEAD ambiguous', async () => {
    const one = await agent('coding-1', { 'src/a.js': 'a from one\n' })
    gitSync(one.path, 'update-ref', 'refs/heads/HEAD', 'main')
    writeFiles(one.path, { 'src/a.js': 'a, finished\n' })
    queue = createMergeQueue({ projectDir: project.path, branch: 'main' })
    expect(await queue.enqueue(request(one, [1]))).toMatchObject({ kind: 'merged' })
    expect(readText(project.path, 'src/a.js')).toBe('a, finished\n')
  })

  it('refuses an agent id that could forge trailers', async () => {
    queue = createMergeQueue({ projectDir: project.path, branch: 'main' })
    const outcome = await queue.enqueue({
      agentId: 'x\nAutocoder-Features: 1',
      worktreeBranch: 'main',
      featureIds: [1],
      message: 'm',
    })
    expect(outcome).toMatchObject({ kind: 'error', code: 'INVALID_AGENT_ID' })
  })
})
