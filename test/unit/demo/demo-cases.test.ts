// Which features play which case of a demo scenario, and what a scenario needs of the run.
import { describe, expect, it } from 'vitest'

import { demoCatalog, DemoScenarioName, demoScenarioProblem } from '../../../src/demo/index.js'
import { demoCases } from '../../../src/demo/demo-cases.js'

describe('demo scenarios', () => {
  const board = demoCatalog(1).slice(0, 12)

  it('gives each single case one feature and the standard scenario none', () => {
    expect(demoCases('standard', board)).toEqual({
      rateLimit: null,
      failingCheck: null,
      needsHuman: null,
      mergeConflict: false,
    })
    expect(demoCases('rate-limit', board).rateLimit).toBe(1)
    expect(demoCases('failing-check', board).failingCheck).toBe(1)
    expect(demoCases('merge-conflict', board).mergeConflict).toBe(true)
  })

  it('asks about a feature nothing else waits for, so the rest of the run goes on', () => {
    const asked = demoCases('needs-human', board).needsHuman!
    expect(asked).toBeGreaterThan(0)
    expect(board.some((feature) => feature.dependsOn.includes(asked))).toBe(false)
  })

  it('puts every case of "all" on different features', () => {
    const cases = demoCases('all', board)
    const features = [cases.rateLimit, cases.failingCheck, cases.needsHuman]
    expect(new Set(features).size).toBe(3)
    expect(features.every((index) => index !== null && index > 0)).toBe(true)
    expect(cases.mergeConflict).toBe(true)
  })

  it('says what to change when a scenario cannot play on the board or run', () => {
    expect(demoScenarioProblem('merge-conflict', { features: 5, concurrency: 1 })).toBe(
      '--scenario merge-conflict needs --concurrency 2 or more: two agents must work at the same time.',
    )
    expect(demoScenarioProblem('all', { features: 3, concurrency: 3 })).toBe(
      '--scenario all needs --features 4 or more (the board has 3).',
    )
    for (const name of DemoScenarioName.options)
      expect(demoScenarioProblem(name, { features: 4, concurrency: 2 })).toBeNull()
  })
})
