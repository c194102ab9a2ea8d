import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { unwrap } from '../../../src/core/index.js'
import {
  createBashPolicy,
  decideBash,
  decideFileTool,
  resolvePathOnDisk,
  type BashPolicy,
  type PolicyContext,
} from '../../../src/security/index.js'
import { tempDir } from '../../helpers/tmp.js'

// Paths are checked where the kernel would take them: a symlink inside the worktree that points
// outside does not make the outside writable.
let policy: BashPolicy
let project: ReturnType<typeof tempDir>
let outside: ReturnType<typeof tempDir>
let context: PolicyContext

beforeAll(async () => {
  policy = unwrap(await createBashPolicy())
})

beforeEach(() => {
  project = tempDir('autocoder-project-')
  outside = tempDir('autocoder-outside-')
  mkdirSync(join(project.path, 'worktrees', 'agent-1', 'src'), { recursive: true })
  writeFileSync(join(outside.path, 'secret.txt'), 'x')
  symlinkSync(outside.path, join(project.path, 'worktrees', 'agent-1', 'escape'))
  context = {
    policy,
    cwd: join(project.path, 'worktrees', 'agent-1'),
    projectDir: project.path,
    homeDir: '/home/dev',
    resolvePath: resolvePathOnDisk,
    readOnlyRoots: ['/usr/share'],
  }
})

afterEach(() => {
  project[Symbol.dispose]()
  outside[Symbol.dispose]()
})

describe('bash paths through symlinks', () => {
  it('refuses rm of a file reached through a symlink that leaves the worktree', () => {
    expect(decideBash('rm -rf escape/secret.txt', context)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('outside'),
    })
  })

  it('shows why the check needs the disk: the lexical default alone would allow it', () => {
    expect(
      decideBash('rm -rf escape/secret.txt', { ...context, resolvePath: undefined }).allowed,
    ).toBe(true)
  })

  it('follows the symlink before applying .. (escape/.. is the parent of the outside dir)', () => {
    expect(decideBash('rm -rf escape/../x', context).allowed).toBe(false)
  })

  it('refuses a redirect into the symlinked directory', () => {
    expect(decideBash('echo hi > escape/new.txt', context).allowed).toBe(false)
  })

  it('allows writes in the worktree and in the project, but not in a sibling worktree', () => {
    expect(decideBash('echo hi > src/a.ts && rm -f src/a.ts', context).allowed).toBe(true)
    expect(decideBash('cp src/a.ts ../../notes.txt', context).allowed).toBe(true)
    expect(decideBash('echo hi > ../agent-2/a.ts', context).allowed).toBe(true) // inside the project dir
    expect(decideBash('echo hi > ../../../elsewhere.txt', context).allowed).toBe(false)
  })

  it('refuses deleting the worktree or the project itself', () => {
    expect(decideBash('rm -rf .', context).allowed).toBe(false)
    expect(decideBash('rm -rf ../..', context).allowed).toBe(false)
    expect(decideBash(`rm -rf ${project.path}`, context).allowed).toBe(false)
  })
})

describe('file tools', () => {
  it('let Write and Edit change files in the worktree', () => {
    expect(
      decideFileTool(
        'Write',
        { file_path: join(context.cwd, 'src', 'a.ts'), content: 'x' },
        context,
      ).allowed,
    ).toBe(true)
    expect(
      decideFileTool('Edit', { file_path: 'src/a.ts', old_string: 'a', new_string: 'b' }, context)
        .allowed,
    ).toBe(true)
  })

  it('refuse Write through a symlink that leaves the worktree', () => {
    expect(
      decideFileTool(
        'Write',
        { file_path: join(context.cwd, 'escape', 'x.txt'), content: 'x' },
        context,
      ).allowed,
    ).toBe(false)
  })

  it('let Read use the extra read-only roots, which Write may not', () => {
    expect(decideFileTool('Read', { file_path: '/usr/share/dict/words' }, context).allowed).toBe(
      true,
    )
    expect(
      decideFileTool('Write', { file_path: '/usr/share/dict/words', content: '' }, context).allowed,
    ).toBe(false)
  })

  it('refuse reading outside the roots and credentials', () => {
    expect(decideFileTool('Read', { file_path: '/etc/passwd' }, context).allowed).toBe(false)
    expect(decideFileTool('Read', { file_path: '~/.ssh/id_rsa' }, context).allowed).toBe(false)
    expect(
      decideFileTool('NotebookEdit', { notebook_path: '/tmp/x.ipynb', new_source: '' }, context)
        .allowed,
    ).toBe(false)
  })

  it('confine Glob and Grep, including patterns that climb out', () => {
    expect(decideFileTool('Glob', { pattern: 'src/**/*.ts' }, context).allowed).toBe(true)
    expect(decideFileTool('Grep', { pattern: 'TODO', path: 'src' }, context).allowed).toBe(true)
    expect(decideFileTool('Grep', { pattern: 'TODO' }, context).allowed).toBe(true)
    expect(decideFileTool('Glob', { pattern: '/etc/**' }, context).allowed).toBe(false)
    expect(decideFileTool('Glob', { pattern: '../../../**/*.key' }, context).allowed).toBe(false)
    expect(decideFileTool('Glob', { pattern: 'src/*/../../../../**' }, context).allowed).toBe(false)
    expect(decideFileTool('Grep', { pattern: 'x', path: '/home' }, context).allowed).toBe(false)
  })

  it('refuse a file tool call without its path', () => {
    expect(decideFileTool('Read', {}, context)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('file_path'),
    })
  })
})
