import { beforeAll, describe, expect, it } from 'vitest'

import { decideBash, type PolicyContext } from '../../../src/security/index.js'

import { ATTACK_CLASSES, corpusContext, corpusPolicy, readCorpus } from './policy-fixture.js'

// Every corpus command gets the decision the fixture expects. Adversarial rows cover every bypass
// family of the issue; ordinary rows are what an agent runs to build a web app.
const corpus = readCorpus()
let context: PolicyContext

beforeAll(async () => {
  context = corpusContext(await corpusPolicy())
})

describe('the policy corpus', () => {
  it('holds at least 300 commands, at least half of them adversarial', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300)
    expect(corpus.filter((row) => row.kind === 'adversarial').length * 2).toBeGreaterThanOrEqual(
      corpus.length,
    )
  })

  it('covers every bypass family of the issue', () => {
    const families = new Set(corpus.map((row) => row.family))
    for (const family of [
      'substitution',
      'process-substitution',
      'separators',
      'shell-interpreter',
      'pipe-to-shell',
      'wrappers',
      'runtime-name',
      'parse',
      'npx-packages',
      'write-paths',
      'redirects',
      'processes',
      'init-script',
      'git',
      'docker',
    ]) {
      expect(families).toContain(family)
    }
  })

  it.each(ATTACK_CLASSES)(
    'holds at least ten attacks of class %i, all denied, and ordinary commands near them',
    (attackClass) => {
      const rows = corpus.filter((row) => row.class === attackClass)
      const attacks = rows.filter((row) => row.kind === 'adversarial')
      expect(attacks.length).toBeGreaterThanOrEqual(10)
      expect(attacks.every((row) => !row.allowed)).toBe(true)
      expect(
        rows.filter((row) => row.kind === 'ordinary' && row.allowed).length,
      ).toBeGreaterThanOrEqual(5)
    },
  )

  it.each(corpus)('decides $family command $command as allowed=$allowed', (row) => {
    const decision = decideBash(row.command, context)
    expect({ allowed: decision.allowed, reason: decision.reason }).toMatchObject({
      allowed: row.allowed,
    })
    expect(decision.reason.length).toBeGreaterThan(0)
  })

  it('refuses fewer than 2% of the ordinary commands an agent uses', () => {
    const ordinary = corpus.filter((row) => row.kind === 'ordinary')
    const refused = ordinary.filter((row) => !decideBash(row.command, context).allowed)
    expect(ordinary.length).toBeGreaterThanOrEqual(150)
    expect(refused.length / ordinary.length).toBeLessThan(0.02)
  })
})
