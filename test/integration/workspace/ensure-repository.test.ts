import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { tempDir } from '../../helpers/tmp.js'
import { ensureRepository } from '../../../src/workspace/index.js'
import { gitSync, readText, writeFiles } from './fixture.js'

describe('ensureRepository', () => {
  let dir: ReturnType<typeof tempDir>
  beforeEach(() => {
    dir = tempDir('autocoder-ensure-')
  })
  afterEach(() => dir[Symbol.dispose]())

  it('turns a plain directory into a repository with one initial commit of its files and a .gitignore', async () => {
    writeFiles(dir.path, { 'app_spec.txt': 'spec\n', 'src/index.js': 'x\n' })
    const result = await ensureRepository(dir.path)
    expect(result).toMatchObject({
      ok: true,
      value: { branch: 'main', created: true, uncommittedPaths: [] },
    })
    expect(gitSync(dir.path, 'ls-files').split('\n').sort()).toEqual([
      '.gitignore',
      'app_spec.txt',
      'src/index.js',
    ])
    expect(readText(dir.path, '.gitignore')).toContain('.autocoder/')
    expect(readText(dir.path, '.gitignore')).toMatch(/^node_modules$/m)
    expect(gitSync(dir.path, 'rev-list', '--count', 'HEAD')).toBe('1')
  })

  it('is idempotent: a second call changes nothing', async () => {
    await ensureRepository(dir.path)
    const head = gitSync(dir.path, 'rev-parse', 'HEAD')
    const exclude = readFileSync(join(dir.path, '.git', 'info', 'exclude'), 'utf8')
    const again = await ensureRepository(dir.path)
    expect(again).toMatchObject({
      ok: true,
      value: { branch: 'main', created: false, initialCommit: null },
    })
    expect(gitSync(dir.path, 'rev-parse', 'HEAD')).toBe(head)
    expect(readFileSync(join(dir.path, '.git', 'info', 'exclude'), 'utf8')).toBe(exclude)
  })

  it('leaves uncommitted changes of an existing repository alone and lists them', async () => {
    gitSync(dir.path, 'init', '-q', '-b', 'trunk')
    writeFiles(dir.path, { 'a.txt': 'one\n' })
    gitSync(dir.path, 'add', 'a.txt')
    gitSync(dir.path, '-c', 'user.name=u', '-c', 'user.email=u@x', 'commit', '-qm', 'first')
    writeFiles(dir.path, { 'a.txt': 'edited\n', 'new.txt': 'new\n' })
    const result = await ensureRepository(dir.path)
    expect(result).toMatchObject({
      ok: true,
      value: { branch: 'trunk', created: false, initialCommit: null },
    })
    expect(result.ok && result.value.uncommittedPaths.sort()).toEqual(['a.txt', 'new.txt'])
    expect(gitSync(dir.path, 'rev-list', '--count', 'HEAD')).toBe('1')
    expect(readText(dir.path, 'a.txt')).toBe('edited\n')
    // Runtime paths are ignored through info/exclude, without touching tracked files.
    writeFiles(dir.path, { '.autocoder/autocoder.db': 'x' })
    expect(gitSync(dir.path, 'status', '--porcelain')).not.toContain('.autocoder')
  })

  it('makes the first commit when the repository has no commit yet', async () => {
    gitSync(dir.path, 'init', '-q', '-b', 'main')
    writeFiles(dir.path, { 'index.html': '<p>hi</p>\n' })
    const result = await ensureRepository(dir.path)
    expect(result).toMatchObject({ ok: true, value: { created: false, uncommittedPaths: [] } })
    expect(result.ok && result.value.initialCommit).toMatch(/^[0-9a-f]{40}$/)
    expect(gitSync(dir.path, 'ls-files')).toContain('index.html')
  })

  it('refuses a detached HEAD with a message that says what to do', async () => {
    await ensureRepository(dir.path)
    gitSync(dir.path, 'checkout', '-q', '--detach')
    const result = await ensureRepository(dir.path)
    expect(result).toMatchObject({ ok: false, error: { code: 'DETACHED_HEAD' } })
    expect(!result.ok && result.error.message).toContain('git switch')
  })

  it('refuses a checkout that is on an agent branch', async () => {
    await ensureRepository(dir.path)
    gitSync(dir.path, 'switch', '-q', '-c', 'autocoder/coding-1')
    const result = await ensureRepository(dir.path)
    expect(result).toMatchObject({ ok: false, error: { code: 'AGENT_BRANCH' } })
  })

  it('makes a project inside another repository a repository of its own', async () => {
    await ensureRepository(dir.path)
    const inner = join(dir.path, 'inner')
    mkdirSync(inner)
    writeFiles(inner, { 'x.txt': 'x\n' })
    const result = await ensureRepository(inner)
    expect(result).toMatchObject({ ok: true, value: { created: true } })
    expect(gitSync(inner, 'rev-parse', '--show-toplevel')).toBe(inner)
  })

  it('reports a missing directory as NOT_A_DIRECTORY', async () => {
    const result = await ensureRepository(join(dir.path, 'nope'))
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_A_DIRECTORY' } })
  })
})

describe('ensureRepository on a machine without a git identity', () => {
  const saved = { ...process.env }
  let dir: ReturnType<typeof tempDir>
  beforeEach(() => {
    dir = tempDir('autocoder-ident-')
    process.env.GIT_CONFIG_GLOBAL = join(dir.path, 'no-global-config')
    process.env.GIT_CONFIG_NOSYSTEM = '1'
    delete process.env.GIT_AUTHOR_NAME
    delete process.env.GIT_AUTHOR_EMAIL
    delete process.env.GIT_COMMITTER_NAME
    delete process.env.GIT_COMMITTER_EMAIL
    delete process.env.EMAIL
  })
  afterEach(() => {
    process.env = saved
    dir[Symbol.dispose]()
  })

  it('configures a local identity so that commits work', async () => {
    const project = join(dir.path, 'p')
    mkdirSync(project)
    const result = await ensureRepository(project)
    expect(result).toMatchObject({ ok: true })
    expect(gitSync(project, 'config', '--local', 'user.name')).toBe('autocoder')
    expect(gitSync(project, 'log', '-1', '--format=%ae')).toBe('autocoder@localhost')
  })
})
