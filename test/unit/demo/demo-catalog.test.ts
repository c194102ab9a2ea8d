// The demo catalog a seed generates: deterministic, a board at every prefix, helpers that call the
// helpers they depend on, and the dependency shapes of a real board.
import { describe, expect, it } from 'vitest'

import { demoCatalog, MAX_DEMO_FEATURES } from '../../../src/demo/index.js'
import type { DemoFeature } from '../../../src/demo/index.js'

const shape = (catalog: readonly DemoFeature[]) =>
  catalog.map(({ name, category, dependsOn }) => ({ name, category, dependsOn }))

/** Longest path from a feature to the skeleton, in features (the skeleton is 1). */
function depth(catalog: readonly DemoFeature[], index: number): number {
  const deps = catalog[index]!.dependsOn
  return 1 + (deps.length === 0 ? 0 : Math.max(...deps.map((dep) => depth(catalog, dep))))
}

describe('demo catalog', () => {
  it('gives the same board for the same seed (pinned) and a different one for another seed', () => {
    // Pinned: a change here changes every demo board made with seed 1 (the default).
    expect(shape(demoCatalog(1)).slice(0, 8)).toEqual([
      { name: 'Project skeleton', category: 'setup', dependsOn: [] },
      { name: 'addYears3', category: 'date', dependsOn: [0] },
      { name: 'takeFirst6', category: 'array', dependsOn: [0] },
      { name: 'caesar6', category: 'string', dependsOn: [0] },
      { name: 'floorTo25', category: 'number', dependsOn: [0] },
      { name: 'runningTotals', category: 'array', dependsOn: [2] },
      { name: 'stripDigits', category: 'string', dependsOn: [3] },
      { name: 'padEnd20', category: 'string', dependsOn: [3, 6] },
    ])
    expect(shape(demoCatalog(2)).slice(1, 8)).not.toEqual(shape(demoCatalog(1)).slice(1, 8))
    expect(shape(demoCatalog(3)).slice(1, 8)).not.toEqual(shape(demoCatalog(2)).slice(1, 8))
  })

  it('has the skeleton first, then up to the maximum of uniquely named helpers in four categories', () => {
    const catalog = demoCatalog(1)
    expect(catalog).toHaveLength(MAX_DEMO_FEATURES)
    expect(catalog[0]).toMatchObject({ name: 'Project skeleton', category: 'setup', dependsOn: [] })
    expect(new Set(catalog.map((feature) => feature.name)).size).toBe(MAX_DEMO_FEATURES)
    expect(new Set(catalog.slice(1, 5).map((feature) => feature.category))).toEqual(
      new Set(['string', 'array', 'number', 'date']),
    )
    for (const feature of catalog.slice(1)) {
      expect(feature.name).toMatch(/^[a-z][A-Za-z0-9]*$/)
      expect(Object.keys(feature.files)).toEqual([
        `src/${feature.name}.mjs`,
        `test/${feature.name}.test.mjs`,
      ])
      expect(feature.check).toBe(`node --test test/${feature.name}.test.mjs`)
    }
  })

  it('makes every prefix a board: dependencies point to earlier features of the same category', () => {
    for (const seed of [1, 2, 3, 99]) {
      const catalog = demoCatalog(seed)
      catalog.forEach((feature, index) => {
        for (const dep of feature.dependsOn) {
          expect(dep).toBeLessThan(index)
          if (dep > 0) expect(catalog[dep]!.category).toBe(feature.category)
        }
        if (index > 0) expect(feature.dependsOn.length).toBeGreaterThan(0)
      })
    }
  })

  it('has chains, diamonds, fan-out and independent helpers, and keeps chains short', () => {
    const catalog = demoCatalog(1)
    const dependents = new Map<number, number>()
    for (const feature of catalog)
      for (const dep of feature.dependsOn) dependents.set(dep, (dependents.get(dep) ?? 0) + 1)
    const helpers = catalog.slice(1).map((_, i) => i + 1)
    expect(helpers.filter((i) => catalog[i]!.dependsOn.length === 2).length).toBeGreaterThan(10)
    expect(helpers.filter((i) => catalog[i]!.dependsOn[0] === 0).length).toBeGreaterThan(10)
    expect(helpers.filter((i) => (dependents.get(i) ?? 0) >= 5).length).toBeGreaterThan(0)
    const depths = helpers.map((i) => depth(catalog, i))
    expect(Math.max(...depths)).toBe(4)
  })

  it("writes helpers that import and call the helpers they depend on, with the catalog's steps", () => {
    const catalog = demoCatalog(1)
    const diamond = catalog.find((feature) => feature.dependsOn.length === 2)!
    const [a, b] = diamond.dependsOn.map((dep) => catalog[dep]!.name)
    const source = diamond.files[`src/${diamond.name}.mjs`]!
    expect(source).toContain(`import { ${a} } from './${a}.mjs'`)
    expect(source).toContain(`import { ${b} } from './${b}.mjs'`)
    expect(source).toContain(`export function ${diamond.name}(input) {`)
    expect(diamond.description).toContain(`${a}(input) and ${b}(input)`)
    expect(diamond.steps.at(-1)).toBe(`node --test test/${diamond.name}.test.mjs passes`)
    expect(diamond.module?.unfinished).toContain("throw new Error('not implemented yet')")
  })
})
