import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { decideBash, loadPolicy } from '../../../src/security/index.js'
import { tempDir } from '../../helpers/tmp.js'

function writeProjectConfig(projectDir: string, text: string): string {
  mkdirSync(join(projectDir, '.autocoder'), { recursive: true })
  const file = join(projectDir, '.autocoder', 'allowed_commands.yaml')
  writeFileSync(file, text)
  return file
}

describe('loadPolicy', () => {
  it('loads defaults when neither config file exists', async () => {
    using project = tempDir()
    using home = tempDir()
    const result = await loadPolicy({ projectDir: project.path, autocoderHome: home.path })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.value.rules.allowed.get('npm')).toBe('default')
  })

  it('merges org and project commands, and the org block list wins over the project', async () => {
    using project = tempDir()
    using home = tempDir()
    writeFileSync(
      join(home.path, 'config.yaml'),
      'version: 1\nallowed_commands:\n  - name: make\nblocked_commands: [terraform]\npkill_processes: [uvicorn]\n',
    )
    const projectFile = writeProjectConfig(
      project.path,
      'version: 1\ncommands:\n  - name: terraform\n  - name: python3\n    description: tests\n',
    )
    const result = await loadPolicy({ projectDir: project.path, autocoderHome: home.path })
    if (!result.ok) throw new Error(result.error.message)
    const context = { policy: result.value, cwd: project.path, projectDir: project.path }
    expect(result.value.rules.allowed.get('make')).toBe(join(home.path, 'config.yaml'))
    expect(result.value.rules.allowed.get('python3')).toBe(projectFile)
    expect(decideBash('python3 -m pytest', context).allowed).toBe(true)
    expect(decideBash('terraform apply', context)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('blocked'),
    })
    expect(decideBash('pkill -f "uvicorn app:main"', context).allowed).toBe(true)
  })

  it('reports malformed YAML with the file and line and returns no policy', async () => {
    using project = tempDir()
    const file = writeProjectConfig(
      project.path,
      'version: 1\ncommands:\n  - name: make\n  - name: [unclosed\n',
    )
    const result = await loadPolicy({ projectDir: project.path })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('POLICY_CONFIG_INVALID')
    expect(result.error.message).toMatch(
      new RegExp(`^${file.replace(/[.]/g, '\\.')}:\\d+: invalid YAML`),
    )
  })

  it('reports a schema error with the line of the offending entry', async () => {
    using project = tempDir()
    const file = writeProjectConfig(
      project.path,
      'version: 1\ncommands:\n  - name: make\n  - description: no name\n',
    )
    const result = await loadPolicy({ projectDir: project.path })
    expect(result).toMatchObject({ ok: false, error: { code: 'POLICY_CONFIG_INVALID' } })
    if (result.ok) return
    expect(result.error.message).toContain(`${file}:4:`)
    expect(result.error.message).toContain('commands.1.name')
  })

  it('requires the version key like the reference', async () => {
    using home = tempDir()
    using project = tempDir()
    writeFileSync(join(home.path, 'config.yaml'), 'allowed_commands:\n  - name: make\n')
    const result = await loadPolicy({ projectDir: project.path, autocoderHome: home.path })
    expect(result).toMatchObject({ ok: false, error: { code: 'POLICY_CONFIG_INVALID' } })
    if (result.ok) return
    expect(result.error.message).toContain('version')
  })

  it('refuses a project wildcard that would open an interpreter, naming the line', async () => {
    using project = tempDir()
    const file = writeProjectConfig(
      project.path,
      'version: 1\ncommands:\n  - name: make\n  - name: "p*"\n',
    )
    const result = await loadPolicy({ projectDir: project.path })
    expect(result).toMatchObject({ ok: false, error: { code: 'POLICY_CONFIG_REJECTED' } })
    if (result.ok) return
    expect(result.error.message).toContain(`${file}:4`)
    expect(result.error.message).toMatch(/the wildcard p\* would also allow \w+/)
  })

  it('refuses project entries for blocked commands and a bare star', async () => {
    using project = tempDir()
    writeProjectConfig(project.path, 'version: 1\ncommands:\n  - name: sudo\n')
    expect(await loadPolicy({ projectDir: project.path })).toMatchObject({
      ok: false,
      error: { code: 'POLICY_CONFIG_REJECTED' },
    })
    writeProjectConfig(project.path, 'version: 1\ncommands:\n  - name: "*"\n')
    expect(await loadPolicy({ projectDir: project.path })).toMatchObject({
      ok: false,
      error: { code: 'POLICY_CONFIG_REJECTED' },
    })
  })

  it('lets npx run packages the worktree declares, their bins, and npx_packages from config', async () => {
    using project = tempDir()
    using worktree = tempDir()
    writeFileSync(
      join(worktree.path, 'package.json'),
      JSON.stringify({ devDependencies: { typescript: '^5' } }),
    )
    mkdirSync(join(worktree.path, 'node_modules', 'typescript'), { recursive: true })
    writeFileSync(
      join(worktree.path, 'node_modules', 'typescript', 'package.json'),
      JSON.stringify({ name: 'typescript', bin: { tsc: 'bin/tsc' } }),
    )
    writeProjectConfig(project.path, 'version: 1\nnpx_packages: [create-vite]\n')
    const result = await loadPolicy({ projectDir: project.path, cwd: worktree.path })
    if (!result.ok) throw new Error(result.error.message)
    const context = { policy: result.value, cwd: worktree.path, projectDir: project.path }
    expect(decideBash('npx tsc --noEmit', context).allowed).toBe(true)
    expect(decideBash('npx typescript@5 --version', context).allowed).toBe(true)
    expect(decideBash('npx create-vite my-app', context).allowed).toBe(true)
    expect(decideBash('npx cowsay', context).allowed).toBe(false)
  })

  it('treats a half-written package.json as declaring nothing', async () => {
    using project = tempDir()
    writeFileSync(join(project.path, 'package.json'), '{ "devDependencies": { "vitest": ')
    const result = await loadPolicy({ projectDir: project.path })
    if (!result.ok) throw new Error(result.error.message)
    expect(
      decideBash('npx vitest', {
        policy: result.value,
        cwd: project.path,
        projectDir: project.path,
      }).allowed,
    ).toBe(false)
  })
})
