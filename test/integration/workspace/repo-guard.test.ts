// Our own git never runs what an agent wrote into the repository (DESIGN principle 5): the fixed
// program keys (fsmonitor, hooks, pager, ...) are overridden on every git command line, and the
// guard puts back config, hooks and worktree links an agent changed before our git runs again.
// Every planted program would append its name to a canary file outside the project.
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import {
  createMergeQueue,
  createWorktree,
  guardSnapshotPath,
  RepoGuard,
} from '../../../src/workspace/index.js'
import { gitContext } from '../../../src/workspace/git.js'
import { tempDir } from '../../helpers/tmp.js'
import { gitSync, readText, tempProject, writeFiles } from './fixture.js'

const HOOKS = [
  'pre-commit',
  'post-commit',
  'post-checkout',
  'post-merge',
  'post-index-change',
  'reference-transaction',
  'pre-auto-gc',
]

let project: Awaited<ReturnType<typeof tempProject>>
let outside: { path: string } & Disposable
let canary: string
let program: string

beforeEach(async () => {
  project = await tempProject({ 'README.md': '# demo\n', 'check.mjs': 'console.log("ok")\n' })
  outside = tempDir('autocoder-canary-')
  canary = join(outside.path, 'ran')
  program = join(outside.path, 'planted.sh')
  // A filter must pass its input through; the canary line says who ran it.
  writeFileSync(program, `#!/bin/sh\necho "$0 $*" >> ${canary}\ncat\n`)
  chmodSync(program, 0o755)
})

afterEach(() => {
  project[Symbol.dispose]()
  outside[Symbol.dispose]()
})

const ran = (): string => (existsSync(canary) ? readFileSync(canary, 'utf8') : '')

/** What an agent that got past the policy would plant in the repository. */
function plantPrograms(): void {
  const git = join(project.path, '.git')
  gitSync(project.path, 'config', 'core.fsmonitor', program)
  gitSync(project.path, 'config', 'core.pager', program)
  gitSync(project.path, 'config', 'filter.planted.clean', program)
  gitSync(project.path, 'config', 'filter.planted.smudge', program)
  gitSync(project.path, 'config', 'merge.planted.driver', `${program} %O %A %B`)
  gitSync(project.path, 'config', 'diff.planted.textconv', program)
  for (const hook of HOOKS) {
    writeFileSync(join(git, 'hooks', hook), `#!/bin/sh\necho hook ${hook} >> ${canary}\n`)
    chmodSync(join(git, 'hooks', hook), 0o755)
  }
}

async function openGuard(persist = false): Promise<RepoGuard> {
  const opened = await RepoGuard.open(project.path, gitContext({}), { persist })
  if (opened === null) throw new Error('not a repository')
  return opened.guard
}

describe('our own git', () => {
  it('never runs hooks or fsmonitor from the repository config when it branches, commits and merges', async () => {
    gitSync(project.path, 'config', 'core.fsmonitor', program)
    for (const hook of HOOKS) {
      writeFileSync(
        join(project.path, '.git', 'hooks', hook),
        `#!/bin/sh\necho hook ${hook} >> ${canary}\n`,
      )
      chmodSync(join(project.path, '.git', 'hooks', hook), 0o755)
    }
    const tree = await createWorktree({
      projectDir: project.path,
      agentId: 'c1',
      baseBranch: 'main',
    })
    if (!tree.ok) throw new Error(tree.error.message)
    writeFiles(tree.value.path, { 'feature.txt': 'work\n' })
    const queue = createMergeQueue({
      projectDir: project.path,
      branch: 'main',
      checkCommand: ['node', 'check.mjs'],
    })
    const outcome = await queue.enqueue({
      agentId: 'c1',
      worktreeBranch: tree.value.branch,
      featureIds: [1],
      message: 'Feature 1',
    })
    await queue.close()
    expect(outcome.kind).toBe('merged')
    expect(readText(project.path, 'feature.txt')).toBe('work\n')
    expect(ran()).toBe('')
  })

  it('puts back config and hooks an agent planted, so a merge with its filters runs none of them', async () => {
    const guard = await openGuard()
    const tree = await createWorktree({
      projectDir: project.path,
      agentId: 'c1',
      baseBranch: 'main',
    })
    if (!tree.ok) throw new Error(tree.error.message)
    await guard.trustWorktree(tree.value.path)
    const before = readText(project.path, '.git/config')
    plantPrograms()
    writeFiles(tree.value.path, {
      '.gitattributes': '* filter=planted merge=planted diff=planted\n',
      'feature.txt': 'work\n',
    })
    const restored = await guard.check()
    expect(restored).toEqual(
      expect.arrayContaining(['.git/config', ...HOOKS.map((hook) => `.git/hooks/${hook}`)]),
    )
    expect(readText(project.path, '.git/config')).toBe(before)
    const queue = createMergeQueue({
      projectDir: project.path,
      branch: 'main',
      checkCommand: ['node', 'check.mjs'],
    })
    const outcome = await queue.enqueue({
      agentId: 'c1',
      worktreeBranch: tree.value.branch,
      featureIds: [1],
      message: 'Feature 1',
    })
    await queue.close()
    expect(outcome.kind).toBe('merged')
    expect(ran()).toBe('')
    expect(await guard.check()).toEqual([])
  })

  it("restores a worktree's .git link, its commondir and a per-worktree config an agent wrote", async () => {
    const guard = await openGuard()
    const tree = await createWorktree({
      projectDir: project.path,
      agentId: 'c1',
      baseBranch: 'main',
    })
    if (!tree.ok) throw new Error(tree.error.message)
    await guard.trustWorktree(tree.value.path)
    const dotGit = join(tree.value.path, '.git')
    const link = readFileSync(dotGit, 'utf8')
    const adminDir = /^gitdir: (.+)$/m.exec(link)![1]!
    const commondir = readFileSync(join(adminDir, 'commondir'), 'utf8')
    const fake = join(tree.value.path, 'fake-git')
    mkdirSync(fake)
    writeFileSync(dotGit, `gitdir: ${fake}\n`)
    writeFileSync(join(adminDir, 'commondir'), fake)
    writeFileSync(join(adminDir, 'config.worktree'), `[core]\n\tfsmonitor = ${program}\n`)
    const restored = await guard.check()
    expect(restored.sort()).toEqual(
      [
        '.autocoder/worktrees/c1/.git',
        '.git/worktrees/c1/commondir',
        '.git/worktrees/c1/config.worktree',
      ].sort(),
    )
    expect(readFileSync(dotGit, 'utf8')).toBe(link)
    expect(readFileSync(join(adminDir, 'commondir'), 'utf8')).toBe(commondir)
    expect(existsSync(join(adminDir, 'config.worktree'))).toBe(false)
    expect(gitSync(tree.value.path, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('autocoder/c1')
  })

  it('replaces a hooks folder an agent turned into a link, and removes a hook an agent added', async () => {
    const guard = await openGuard()
    const hooks = join(project.path, '.git', 'hooks')
    writeFileSync(join(hooks, 'pre-commit'), '#!/bin/sh\nexit 0\n')
    chmodSync(join(hooks, 'pre-commit'), 0o755)
    expect(await guard.check()).toEqual(['.git/hooks/pre-commit'])
    expect(existsSync(join(hooks, 'pre-commit'))).toBe(false)
    gitSync(project.path, 'config', 'core.hooksPath', outside.path)
    const elsewhere = join(outside.path, 'hooks')
    mkdirSync(elsewhere)
    gitSync(project.path, 'config', '--unset', 'core.hooksPath')
    const { rmSync } = await import('node:fs')
    rmSync(hooks, { recursive: true })
    symlinkSync(elsewhere, hooks)
    const restored = await guard.check()
    expect(restored).toContain('.git/hooks')
    expect(existsSync(join(hooks, 'pre-commit'))).toBe(false)
  })

  it('keeps its snapshot through a worktree forgotten while the next one is trusted', async () => {
    const guard = (await RepoGuard.open(project.path, gitContext({}), { persist: true }))!.guard
    const trees = []
    for (const agentId of ['c1', 'c2', 'c3']) {
      const tree = await createWorktree({ projectDir: project.path, agentId, baseBranch: 'main' })
      if (!tree.ok) throw new Error(tree.error.message)
      trees.push(tree.value.path)
    }
    await guard.trustWorktree(trees[0]!)
    await Promise.all([
      guard.forgetWorktree(trees[0]!),
      guard.trustWorktree(trees[1]!),
      guard.trustWorktree(trees[2]!),
    ])
    const kept = JSON.parse(readFileSync(guardSnapshotPath(project.path), 'utf8')) as {
      paths: Record<string, unknown>
    }
    const links = Object.keys(kept.paths).filter((path) => path.endsWith('/.git'))
    expect(links.sort()).toEqual([join(trees[1]!, '.git'), join(trees[2]!, '.git')])
    await guard.close()
  })

  it('restores from the snapshot a crashed run kept, then drops it when the next run closes', async () => {
    await openGuard(true)
    expect(existsSync(guardSnapshotPath(project.path))).toBe(true)
    const before = readText(project.path, '.git/config')
    plantPrograms()
    // The process died here: the next run finds the kept snapshot first.
    const next = await RepoGuard.open(project.path, gitContext({}), { persist: true })
    expect(next?.restored).toEqual(expect.arrayContaining(['.git/config', '.git/hooks/pre-commit']))
    expect(readText(project.path, '.git/config')).toBe(before)
    expect(await next!.guard.close()).toEqual([])
    expect(existsSync(guardSnapshotPath(project.path))).toBe(false)
  })
})
