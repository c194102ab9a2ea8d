import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { runCli } from '../../helpers/cli.js'
import { tempDir } from '../../helpers/tmp.js'

describe('autocoder policy', { timeout: 120_000 }, () => {
  it('check exits 1 with the JSON decision for a forbidden command', () => {
    using project = tempDir()
    using home = tempDir()
    const result = runCli(
      ['policy', 'check', '--project', project.path, '--json', '--', 'ls && bash -c "sudo id"'],
      { env: { AUTOCODER_HOME: home.path } },
    )
    expect(result.status).toBe(1)
    expect(JSON.parse(result.stdout)).toEqual({
      allowed: false,
      reason: expect.stringContaining('sudo is blocked'),
    })
  })

  it('check exits 0 for an allowed command and prints the rule', () => {
    using project = tempDir()
    using home = tempDir()
    const result = runCli(
      ['policy', 'check', '--project', project.path, '--', 'cd src && npm test'],
      { env: { AUTOCODER_HOME: home.path } },
    )
    expect(result.status).toBe(0)
    expect(result.stdout).toBe(
      'ALLOWED: allowed: cd (default allowlist), npm (default allowlist)\n',
    )
  })

  it('list shows where each entry came from, and a malformed config fails with its file and line', () => {
    using project = tempDir()
    using home = tempDir()
    mkdirSync(join(project.path, '.autocoder'))
    const file = join(project.path, '.autocoder', 'allowed_commands.yaml')
    writeFileSync(file, 'version: 1\ncommands:\n  - name: make\n')
    const list = runCli(['policy', 'list', '--project', project.path, '--json'], {
      env: { AUTOCODER_HOME: home.path },
    })
    expect(list.status).toBe(0)
    const lists = JSON.parse(list.stdout) as {
      allowed: { name: string; source: string }[]
      blocked: string[]
    }
    expect(lists.allowed).toContainEqual({ name: 'make', source: file })
    expect(lists.allowed).toContainEqual({ name: 'git', source: 'default' })
    expect(lists.blocked).toContain('sudo')

    writeFileSync(file, 'version: 1\ncommands:\n  - name: "make\n')
    const broken = runCli(['policy', 'check', '--project', project.path, '--', 'ls'], {
      env: { AUTOCODER_HOME: home.path },
    })
    expect(broken.status).toBe(2)
    expect(broken.stderr).toMatch(new RegExp(`${file.replace(/\./g, '\\.')}:\\d+: invalid YAML`))
  })
})
