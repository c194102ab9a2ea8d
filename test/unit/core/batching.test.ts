import { describe, expect, it } from 'vitest'

import { buildCodingBatches, selectTestingBatch } from '../../../src/core/batching.js'
import { computeScores } from '../../../src/core/scheduling.js'
import type { SchedFeature } from '../../../src/core/scheduling.js'
import { clampRetryAfter, errorBackoff, rateLimitBackoff } from '../../../src/core/backoff.js'

const f = (
  id: number,
  dependencies: number[] = [],
  extra: Partial<SchedFeature> = {},
): SchedFeature => ({
  id,
  priority: id,
  category: 'a',
  passes: false,
  inProgress: false,
  dependencies,
  ...extra,
})

describe('coding batches', () => {
  it('extends a batch along the dependency chain before filling by category', () => {
    const features = [f(1), f(2, [1]), f(3, [2]), f(4), f(5, [], { category: 'b' })]
    expect(buildCodingBatches(features, computeScores(features), 3)).toEqual([[1, 2, 3], [4], [5]])
  })

  it('fills with ready features of the same category when the chain ends', () => {
    const features = [f(1), f(2), f(3, [], { category: 'b' }), f(4)]
    expect(buildCodingBatches(features, computeScores(features), 3)).toEqual([[1, 2, 4], [3]])
  })

  it('never puts a feature in two batches and clamps the size to 1..3', () => {
    const features = Array.from({ length: 10 }, (_, i) => f(i + 1))
    const batches = buildCodingBatches(features, computeScores(features), 9)
    expect(batches.every((b) => b.length <= 3)).toBe(true)
    expect(batches.flat().sort((a, b) => a - b)).toEqual(features.map((x) => x.id))
    expect(buildCodingBatches(features, computeScores(features), 0)).toHaveLength(10)
  })

  it('does not chain into a child whose other dependency is unmet', () => {
    const features = [f(1), f(2), f(3, [1, 2], { category: 'z' })]
    const batches = buildCodingBatches(features, computeScores(features), 2)
    expect(batches).toEqual([[1, 2]])
  })
})

describe('testing batches', () => {
  it('takes least recently verified passing features that nobody holds', () => {
    const candidates = [
      { id: 1, passes: true, inProgress: false, dependencies: [], lastVerifiedAt: 500 },
      { id: 2, passes: true, inProgress: false, dependencies: [], lastVerifiedAt: null },
      { id: 3, passes: true, inProgress: false, dependencies: [], lastVerifiedAt: 100 },
      { id: 4, passes: false, inProgress: false, dependencies: [], lastVerifiedAt: null },
      { id: 5, passes: true, inProgress: false, dependencies: [], lastVerifiedAt: 50 },
    ]
    expect(selectTestingBatch(candidates, new Set([5]), 2)).toEqual([2, 3])
  })
})

describe('backoff', () => {
  it('follows the reference formulas', () => {
    expect([0, 1, 2].map((r) => rateLimitBackoff(r, () => 0))).toEqual([15, 30, 60])
    expect(rateLimitBackoff(0, () => 0.999)).toBe(19)
    expect(rateLimitBackoff(20, () => 0)).toBe(3600)
    expect([1, 2, 10, 11].map(errorBackoff)).toEqual([30, 60, 300, 300])
    expect([0, 5, 99999].map(clampRetryAfter)).toEqual([1, 5, 3600])
  })
})
