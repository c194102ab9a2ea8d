import { existsSync, lstatSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import {
  createWorktree,
  pruneOrphanWorktrees,
  removeWorktree,
  worktreePath,
} from '../../../src/workspace/index.js'
import { gitSync, readText, tempProject, writeFiles } from './fixture.js'

describe('agent worktrees', () => {
  let project: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    project = await tempProject({ 'README.md': '# demo\n', 'package.json': '{}\n' })
    mkdirSync(join(project.path, 'node_modules', 'left-pad'), { recursive: true })
    writeFiles(project.path, { 'node_modules/left-pad/index.js': 'module.exports = 1\n' })
  })
  afterEach(() => project[Symbol.dispose]())

  it('creates a worktree on a fresh branch autocoder/<agentId> at the project branch head', async () => {
    const result = await createWorktree({
      projectDir: project.path,
      agentId: 'coding-1',
      baseBranch: 'main',
    })
    expect(result.ok).toBe(true)
    const worktree = result.ok ? result.value : undefined
    expect(worktree).toEqual({
      agentId: 'coding-1',
      path: join(project.path, '.autocoder', 'worktrees', 'coding-1'),
      branch: 'autocoder/coding-1',
      baseCommit: gitSync(project.path, 'rev-parse', 'main'),
    })
    expect(gitSync(worktree!.path, 'symbolic-ref', '--short', 'HEAD')).toBe('autocoder/coding-1')
    expect(readText(worktree!.path, 'README.md')).toBe('# demo\n')
    // The project stays clean: the worktree lives under the ignored runtime directory.
    expect(gitSync(project.path, 'status', '--porcelain')).toBe('')
  })

  it('links the project node_modules into the worktree, and git ignores the link', async () => {
    const created = await createWorktree({
      projectDir: project.path,
      agentId: 'coding-1',
      baseBranch: 'main',
    })
    const path = created.ok ? created.value.path : ''
    expect(lstatSync(join(path, 'node_modules')).isSymbolicLink()).toBe(true)
    expect(readText(path, 'node_modules/left-pad/index.js')).toContain('module.exports')
    expect(gitSync(path, 'status', '--porcelain')).toBe('')
  })

  it('removes the worktree and its branch without touching the project node_modules', async () => {
    await createWorktree({ projectDir: project.path, agentId: 'coding-1', baseBranch: 'main' })
    writeFiles(worktreePath(project.path, 'coding-1'), { 'scratch.txt': 'uncommitted\n' })
    const config = statSync(join(project.path, '.git', 'config')).ino
    const removed = await removeWorktree({ projectDir: project.path, agentId: 'coding-1' })
    expect(removed).toEqual({ ok: true, value: undefined })
    expect(existsSync(worktreePath(project.path, 'coding-1'))).toBe(false)
    expect(gitSync(project.path, 'branch', '--list', 'autocoder/*')).toBe('')
    expect(
      existsSync(join(project.path, '.git', 'logs', 'refs', 'heads', 'autocoder', 'coding-1')),
    ).toBe(false)
    expect(existsSync(join(project.path, 'node_modules', 'left-pad', 'index.js'))).toBe(true)
    // The config is the same file: sandboxes bind it read-only, and `git branch -D` would have
    // renamed a new one over it (a sandbox starting then fails, a running one loses the binding).
    expect(statSync(join(project.path, '.git', 'config')).ino).toBe(config)
  })

  it('removes an agent branch made a symbolic ref to the project branch, not the project branch', async () => {
    await createWorktree({ projectDir: project.path, agentId: 'coding-1', baseBranch: 'main' })
    const main = gitSync(project.path, 'rev-parse', 'main')
    // The agent may write its own branch ref inside the sandbox: it points it at main.
    gitSync(worktreePath(project.path, 'coding-1'), 'checkout', '-q', '--detach')
    gitSync(project.path, 'symbolic-ref', 'refs/heads/autocoder/coding-1', 'refs/heads/main')
    const removed = await removeWorktree({ projectDir: project.path, agentId: 'coding-1' })
    expect(removed).toEqual({ ok: true, value: undefined })
    expect(gitSync(project.path, 'rev-parse', 'refs/heads/main')).toBe(main)
    expect(gitSync(project.path, 'symbolic-ref', '--short', 'HEAD')).toBe('main')
    expect(
      gitSync(project.path, 'for-each-ref', '--format=%(refname)', 'refs/heads/autocoder'),
    ).toBe('')
  })

  it('keeps an agent branch a person checked out, and says where', async () => {
    await createWorktree({ projectDir: project.path, agentId: 'coding-1', baseBranch: 'main' })
    gitSync(worktreePath(project.path, 'coding-1'), 'checkout', '-q', '--detach')
    gitSync(project.path, 'checkout', '-q', 'autocoder/coding-1')
    const removed = await removeWorktree({ projectDir: project.path, agentId: 'coding-1' })
    expect(removed.ok).toBe(false)
    if (!removed.ok)
      expect(removed.error.message).toBe(
        `The agent branch autocoder/coding-1 is checked out in ${project.path}, so it was not removed; switch that checkout to another branch (autocoder removes its agents' branches when they are done).`,
      )
    expect(gitSync(project.path, 'symbolic-ref', '--short', 'HEAD')).toBe('autocoder/coding-1')
    expect(gitSync(project.path, 'rev-parse', 'autocoder/coding-1')).toBe(
      gitSync(project.path, 'rev-parse', 'main'),
    )
  })

  it('replaces a leftover worktree of the same agent id with a fresh one', async () => {
    await createWorktree({ projectDir: project.path, agentId: 'coding-1', baseBranch: 'main' })
    writeFiles(worktreePath(project.path, 'coding-1'), { 'stale.txt': 'old\n' })
    const again = await createWorktree({
      projectDir: project.path,
      agentId: 'coding-1',
      baseBranch: 'main',
    })
    expect(again.ok).toBe(true)
    expect(existsSync(join(worktreePath(project.path, 'coding-1'), 'stale.txt'))).toBe(false)
  })

  it('replaces a leftover whose directory is gone but whose registration and branch remain', async () => {
    await createWorktree({ projectDir: project.path, agentId: 'coding-1', baseBranch: 'main' })
    rmSync(worktreePath(project.path, 'coding-1'), { recursive: true, force: true })
    const again = await createWorktree({
      projectDir: project.path,
      agentId: 'coding-1',
      baseBranch: 'main',
    })
    expect(again.ok).toBe(true)
    expect(readText(worktreePath(project.path, 'coding-1'), 'README.md')).toBe('# demo\n')
    expect(gitSync(worktreePath(project.path, 'coding-1'), 'symbolic-ref', '--short', 'HEAD')).toBe(
      'autocoder/coding-1',
    )
  })

  it('removes the worktree of an agent whose branch is gone already', async () => {
    await createWorktree({ projectDir: project.path, agentId: 'coding-1', baseBranch: 'main' })
    gitSync(worktreePath(project.path, 'coding-1'), 'checkout', '-q', '--detach')
    gitSync(project.path, 'branch', '-D', '-q', 'autocoder/coding-1')
    const removed = await removeWorktree({ projectDir: project.path, agentId: 'coding-1' })
    expect(removed).toEqual({ ok: true, value: undefined })
    expect(existsSync(worktreePath(project.path, 'coding-1'))).toBe(false)
  })

  it('refuses an agent id that is not safe as a path and branch name', async () => {
    const result = await createWorktree({
      projectDir: project.path,
      agentId: '../escape',
      baseBranch: 'main',
    })
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_AGENT_ID' } })
  })

  it('reports a missing base branch as BRANCH_NOT_FOUND', async () => {
    const result = await createWorktree({
      projectDir: project.path,
      agentId: 'coding-1',
      baseBranch: 'nope',
    })
    expect(result).toMatchObject({ ok: false, error: { code: 'BRANCH_NOT_FOUND' } })
  })

  it('prunes the worktrees and branches of agents that are not live, including stale git metadata', async () => {
    for (const agentId of ['coding-1', 'coding-2', 'coding-3']) {
      await createWorktree({ projectDir: project.path, agentId, baseBranch: 'main' })
    }
    // coding-3's directory vanished behind git's back (as after a crash and a manual cleanup).
    rmSync(worktreePath(project.path, 'coding-3'), { recursive: true, force: true })
    gitSync(project.path, 'branch', 'autocoder/ghost', 'main')

    const result = await pruneOrphanWorktrees(project.path, ['coding-2'])
    expect(result).toEqual({ ok: true, value: { removed: ['coding-1', 'coding-3', 'ghost'] } })
    const listed = gitSync(project.path, 'worktree', 'list', '--porcelain')
    expect(listed).toContain(worktreePath(project.path, 'coding-2'))
    expect(listed).not.toContain('coding-1')
    expect(listed).not.toContain('coding-3')
    expect(
      gitSync(project.path, 'branch', '--list', 'autocoder/*', '--format=%(refname:short)'),
    ).toBe('autocoder/coding-2')
    expect(existsSync(join(project.path, 'node_modules', 'left-pad', 'index.js'))).toBe(true)
  })
})
