// pendingWork reads an agent's checkout while the agent may still run: what it holds, and that
// nothing the agent wrote (its `.git` file, its admin folder's `commondir`) makes our git run a
// program outside the sandbox.
import { chmodSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { createWorktree, pendingWork } from '../../../src/workspace/index.js'
import { tempDir } from '../../helpers/tmp.js'
import { gitSync, tempProject, writeFiles } from './fixture.js'

describe('pendingWork', () => {
  let project: Awaited<ReturnType<typeof tempProject>>
  let outside: { path: string } & Disposable
  let worktree: string
  const read = () =>
    pendingWork({ projectDir: project.path, agentId: 'coding-1', projectBranch: 'main' })

  beforeEach(async () => {
    project = await tempProject({ 'README.md': '# demo\n' })
    outside = tempDir('autocoder-canary-')
    const created = await createWorktree({
      projectDir: project.path,
      agentId: 'coding-1',
      baseBranch: 'main',
    })
    if (!created.ok) throw new Error(created.error.message)
    worktree = created.value.path
  })
  afterEach(() => {
    project[Symbol.dispose]()
    outside[Symbol.dispose]()
  })

  it('tells uncommitted work, unmerged commits and the branch head apart', async () => {
    const base = gitSync(project.path, 'rev-parse', 'main')
    expect(await read()).toEqual({ uncommitted: false, unmerged: false, head: base })
    writeFiles(worktree, { 'feature.txt': 'new\n' })
    expect(await read()).toMatchObject({ uncommitted: true, unmerged: false })
    gitSync(worktree, 'add', '-A')
    gitSync(worktree, 'commit', '-q', '-m', 'feature')
    const head = gitSync(worktree, 'rev-parse', 'HEAD')
    expect(await read()).toEqual({ uncommitted: false, unmerged: true, head })
    gitSync(project.path, 'merge', '-q', '--no-ff', '-m', 'merge', 'autocoder/coding-1')
    expect(await read()).toEqual({ uncommitted: false, unmerged: false, head })
    gitSync(worktree, 'switch', '-q', '-c', 'elsewhere')
    expect(await read()).toMatchObject({ uncommitted: true })
  })

  it('is not misled by a tag the agent names like the project branch', async () => {
    writeFiles(worktree, { 'feature.txt': 'new\n' })
    gitSync(worktree, 'add', '-A')
    gitSync(worktree, 'commit', '-q', '-m', 'feature')
    gitSync(worktree, 'tag', 'main')
    expect(await read()).toMatchObject({ uncommitted: false, unmerged: true })
  })

  it("runs no program named by a repository the agent's files point to", async () => {
    const canary = join(outside.path, 'ran')
    const planted = join(outside.path, 'planted.sh')
    writeFileSync(planted, `#!/bin/sh\necho ran >> '${canary}'\ncat\n`)
    chmodSync(planted, 0o755)
    const runs = (): number =>
      existsSync(canary) ? readFileSync(canary, 'utf8').split('\n').filter(Boolean).length : 0
    // A repository of the agent's own (inside its worktree, as it could make one) whose config
    // names a clean filter, which `status` runs on a changed tracked file its attributes name.
    // The change keeps the file's size, so every status must read the file (through the filter)
    // to tell; a new size alone tells git the file changed, and it reads nothing.
    const fake = join(worktree, 'fake.git')
    gitSync(project.path, 'clone', '-q', '--bare', project.path, fake)
    gitSync(fake, 'config', 'filter.planted.clean', planted)
    writeFiles(worktree, {
      '.gitattributes': 'README.md filter=planted\n',
      'README.md': '# DEMO\n',
    })
    const admin = join(project.path, '.git', 'worktrees', 'coding-1')

    // 1. The admin folder's commondir (writable inside the sandbox) names that repository.
    writeFileSync(join(admin, 'commondir'), `${fake}\n`)
    statusTheOrdinaryWay(worktree)
    const first = runs()
    expect(first).toBeGreaterThan(0) // found from the worktree, git runs the planted filter
    expect((await read()).uncommitted).toBe(true)
    expect(runs()).toBe(first)

    // 2. The worktree's .git file names an admin folder of its own, whose commondir names it.
    writeFileSync(join(admin, 'commondir'), '../..\n')
    const fakeAdmin = join(worktree, 'fake-admin')
    cpSync(admin, fakeAdmin, { recursive: true })
    writeFileSync(join(fakeAdmin, 'commondir'), `${fake}\n`)
    writeFileSync(join(worktree, '.git'), `gitdir: ${fakeAdmin}\n`)
    statusTheOrdinaryWay(worktree)
    const second = runs()
    expect(second).toBeGreaterThan(first)
    expect((await read()).uncommitted).toBe(true)
    expect(runs()).toBe(second)
  })
})

function statusTheOrdinaryWay(cwd: string): void {
  try {
    gitSync(cwd, 'status', '--porcelain')
  } catch {
    // The canary tells whether it ran.
  }
}
