import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { ensureAppSpec } from '../../../src/agents/single-agent.js'
import { tempDir } from '../../helpers/tmp.js'

describe('ensureAppSpec', () => {
  it('copies a spec kept only in .autocoder/prompts into the agent checkout', () => {
    using project = tempDir()
    using worktree = tempDir()
    mkdirSync(join(project.path, '.autocoder', 'prompts'), { recursive: true })
    writeFileSync(
      join(project.path, '.autocoder', 'prompts', 'app_spec.txt'),
      '<project_specification>x</project_specification>',
    )
    const result = ensureAppSpec(project.path, worktree.path)
    expect(result).toEqual({ ok: true, value: join(worktree.path, 'app_spec.txt') })
    expect(readFileSync(join(worktree.path, 'app_spec.txt'), 'utf8')).toContain(
      '<project_specification>x',
    )
  })

  it('never overwrites a spec that is already in the checkout', () => {
    using project = tempDir()
    writeFileSync(join(project.path, 'app_spec.txt'), 'mine')
    mkdirSync(join(project.path, '.autocoder', 'prompts'), { recursive: true })
    writeFileSync(join(project.path, '.autocoder', 'prompts', 'app_spec.txt'), 'other')
    expect(ensureAppSpec(project.path).ok).toBe(true)
    expect(readFileSync(join(project.path, 'app_spec.txt'), 'utf8')).toBe('mine')
  })

  it('says where to write the spec when there is none', () => {
    using project = tempDir()
    const result = ensureAppSpec(project.path)
    expect(result.ok).toBe(false)
    if (!result.ok)
      expect(result.error.message).toMatch(
        /app_spec\.txt does not exist; write the app specification there/,
      )
  })
})
