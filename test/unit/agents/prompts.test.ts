import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { renderTemplate } from '../../../src/agents/prompt-template.js'
import { buildPrompt } from '../../../src/agents/prompts.js'
import { ok } from '../../../src/core/result.js'
import { tempDir } from '../../helpers/tmp.js'

const noPartials = (name: string) => ({
  ok: false as const,
  error: { code: 'PROMPT_NOT_FOUND' as const, message: `no ${name}` },
})
const base = { port: 4100, workdir: '/w', yolo: false }

describe('renderTemplate', () => {
  it('replaces placeholders and picks the branch of a conditional', () => {
    const text = renderTemplate(
      'a {{X}} {{#if Y}}yes{{else}}no{{/if}} {{#if Z}}z{{/if}}',
      { X: 1, Y: false, Z: 'on' },
      noPartials,
    )
    expect(text).toEqual(ok('a 1 no z\n'))
  })

  it('refuses an unknown placeholder and names the known ones', () => {
    const text = renderTemplate('{{NOPE}}', { PORT: 1 }, noPartials)
    expect(text.ok).toBe(false)
    if (!text.ok) expect(text.error.message).toContain('{{NOPE}}')
  })

  it('includes partials rendered with the same values', () => {
    const text = renderTemplate('x {{> part}}', { P: 7 }, () => ok('p={{P}}'))
    expect(text).toEqual(ok('x p=7\n'))
  })
})

describe('buildPrompt', () => {
  it('gives a single coding feature the coding prompt with its id and port', () => {
    const built = buildPrompt({ ...base, role: 'coding', featureIds: [12] })
    expect(built.ok && built.value.name).toBe('coding')
    if (!built.ok) return
    expect(built.value.prompt).toContain('#12')
    expect(built.value.prompt).toContain('PORT=4100 ./init.sh')
    expect(built.value.prompt).toContain('mcp__playwright__browser_')
    expect(built.value.prompt).not.toMatch(/\{\{/)
  })

  it('gives several coding features the batch prompt, smaller per feature than the single one', () => {
    const single = buildPrompt({ ...base, role: 'coding', featureIds: [1] })
    const batch = buildPrompt({ ...base, role: 'coding', featureIds: [1, 2, 3] })
    if (!single.ok || !batch.ok) throw new Error('prompt failed')
    expect(batch.value.name).toBe('coding-batch')
    expect(batch.value.prompt).toContain('#1, #2, #3')
    expect(batch.value.prompt.length / 3).toBeLessThan(single.value.prompt.length)
  })

  it('drops the browser in yolo mode', () => {
    const built = buildPrompt({ ...base, yolo: true, role: 'testing', featureIds: [3, 4] })
    if (!built.ok) throw new Error(built.error.message)
    expect(built.value.prompt).not.toContain('playwright')
    expect(built.value.prompt).toContain('type-check')
  })

  it('tells a worktree agent its branch and forbids pushing', () => {
    const built = buildPrompt({
      ...base,
      role: 'coding',
      featureIds: [5],
      branch: 'agent/coding-1',
    })
    if (!built.ok) throw new Error(built.error.message)
    expect(built.value.prompt).toContain('`agent/coding-1`')
    expect(built.value.prompt).toContain('never push')
  })

  it('asks the initializer for the configured number of features', () => {
    const built = buildPrompt({ ...base, role: 'initializer', featureIds: [], featureCount: 25 })
    if (!built.ok) throw new Error(built.error.message)
    expect(built.value.prompt).toContain('**25**')
  })

  it('uses a project override from .autocoder/prompts', () => {
    using dir = tempDir()
    mkdirSync(join(dir.path, '.autocoder', 'prompts'), { recursive: true })
    writeFileSync(
      join(dir.path, '.autocoder', 'prompts', 'coding.md'),
      'Only #{{FEATURE_ID}} on {{PORT}}',
    )
    const built = buildPrompt(
      { ...base, role: 'coding', featureIds: [9] },
      { projectDir: dir.path },
    )
    expect(built.ok && built.value.prompt).toBe('Only #9 on 4100\n')
  })

  it('reports a typo in an override instead of sending it', () => {
    using dir = tempDir()
    mkdirSync(join(dir.path, '.autocoder', 'prompts'), { recursive: true })
    writeFileSync(join(dir.path, '.autocoder', 'prompts', 'testing.md'), 'Check {{FEATURE_IDZ}}')
    const built = buildPrompt(
      { ...base, role: 'testing', featureIds: [1] },
      { projectDir: dir.path },
    )
    expect(built.ok).toBe(false)
    if (!built.ok) expect(built.error.message).toContain('FEATURE_IDZ')
  })

  it('refuses a coding agent without features', () => {
    expect(buildPrompt({ ...base, role: 'coding', featureIds: [] }).ok).toBe(false)
  })
})
