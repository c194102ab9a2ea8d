// What agent code may see and reach, decided in one place for every path that runs it: agents'
// Bash and browser, the merge check, the dev server.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import {
  agentSandboxSpec,
  checkSandboxSpec,
  devServerSandboxSpec,
  projectContainment,
} from '../../../src/security/index.js'
import type { ContainmentInput } from '../../../src/security/index.js'
import { tempDir } from '../../helpers/tmp.js'

function containment(over: Partial<ContainmentInput> = {}) {
  return projectContainment({
    projectDir: '/work/p',
    autocoderHome: '/home/dev/.autocoder',
    homes: ['/home/dev'],
    otherProjects: ['/work/q', '/work/p', '/work'],
    registryHost: 'registry.example:8443',
    extraHosts: ['*.cdn.example', 'registry.example:8443'],
    env: {
      PATH: '/usr/bin:/bin',
      LANG: 'C.UTF-8',
      ANTHROPIC_API_KEY: 'sk-secret',
      HOME: '/home/dev',
    },
    gitIdentity: { name: 'Dev', email: 'dev@example' },
    unsandboxed: false,
    ...over,
  })
}

describe('projectContainment', () => {
  it('hides AUTOCODER_HOME, the homes and their credentials, other projects and .autocoder', () => {
    const c = containment()
    expect(c.hidden).toEqual(
      expect.arrayContaining([
        '/home/dev/.autocoder',
        '/home/dev',
        '/home/dev/.ssh',
        '/home/dev/.npmrc',
        '/work/q',
        '/work/p/.autocoder',
      ]),
    )
    // Never the project itself, nor a registered folder the project lies in.
    expect(c.hidden).not.toContain('/work/p')
    expect(c.hidden).not.toContain('/work')
    expect(c.readable[0]).toBe('/work/p')
  })

  it('reaches the npm registry and the project hosts, each once', () => {
    expect(containment().allowedHosts).toEqual(['registry.example:8443', '*.cdn.example'])
    expect(containment({ registryHost: null, extraHosts: [] }).allowedHosts).toEqual([])
  })

  it('passes PATH, locale and the commit identity inside, never keys or HOME', () => {
    expect(containment().env).toEqual({
      PATH: '/usr/bin:/bin',
      LANG: 'C.UTF-8',
      GIT_AUTHOR_NAME: 'Dev',
      GIT_AUTHOR_EMAIL: 'dev@example',
      GIT_COMMITTER_NAME: 'Dev',
      GIT_COMMITTER_EMAIL: 'dev@example',
    })
  })
})

describe('the sandbox specs', () => {
  it("lets an orchestrated agent write its worktree and its branch's git data, nothing of the project", () => {
    using dir = tempDir()
    const project = join(dir.path, 'p')
    const worktree = join(project, '.autocoder', 'worktrees', 'c1')
    const git = join(project, '.git')
    for (const path of [
      join(git, 'objects'),
      join(git, 'refs', 'heads', 'autocoder'),
      join(git, 'logs', 'refs', 'heads', 'autocoder'),
      join(git, 'worktrees', 'c1'),
      join(project, 'node_modules'),
      worktree,
    ])
      mkdirSync(path, { recursive: true })
    writeFileSync(join(worktree, '.git'), `gitdir: ${join(git, 'worktrees', 'c1')}\n`)
    symlinkSync(join(project, 'node_modules'), join(worktree, 'node_modules'))
    const spec = agentSandboxSpec(containment({ projectDir: project }), 'c1', worktree)
    expect(spec.label).toBe('c1')
    expect(spec.writable).toEqual([
      worktree,
      join(project, 'node_modules'),
      join(git, 'objects'),
      join(git, 'refs', 'heads', 'autocoder'),
      join(git, 'logs', 'refs', 'heads', 'autocoder'),
      join(git, 'worktrees', 'c1'),
    ])
    expect(spec.writable).not.toContain(project)
    expect(spec.readOnly).toEqual([join(git, 'config'), join(git, 'hooks'), join(git, 'info')])
    expect(spec.hidden).toContain(join(project, '.autocoder'))
  })

  it('lets a single agent write the project (git config, hooks and info stay read-only)', () => {
    const spec = agentSandboxSpec(containment(), 'coding-1', '/work/p')
    expect(spec.writable).toEqual(['/work/p', '/work/p/.autocoder/screenshots'])
    expect(spec.readOnly).toEqual([
      '/work/p/.git/config',
      '/work/p/.git/hooks',
      '/work/p/.git/info',
    ])
  })

  it('lets the merge check write only its checkout, in CI mode', () => {
    const spec = checkSandboxSpec(containment(), '/work/p/.autocoder/merge-check')
    expect(spec.writable).toEqual(['/work/p/.autocoder/merge-check'])
    expect(spec.env['CI']).toBe('1')
    expect(spec.env['ANTHROPIC_API_KEY']).toBeUndefined()
  })

  it('lets the dev server write the project it serves', () => {
    const spec = devServerSandboxSpec(containment())
    expect(spec.writable).toEqual(['/work/p'])
    expect(spec.hidden).toContain('/home/dev/.autocoder')
  })
})
