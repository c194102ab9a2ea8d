import { describe, expect, it } from 'vitest'

import { computeScores, findUnsatisfiable, planFeatures } from '../../../src/core/scheduling.js'
import type { SchedFeature } from '../../../src/core/scheduling.js'

const f = (id: number, dependencies: number[] = [], extra: Partial<SchedFeature> = {}): SchedFeature => ({
  id,
  priority: id,
  category: 'functional',
  passes: false,
  inProgress: false,
  dependencies,
  ...extra,
})

describe('scheduling score', () => {
  it('matches the reference example: 1109, 308, 307, 6, 100', () => {
    const scores = computeScores([f(1), f(2, [1]), f(3, [1]), f(4, [2, 3]), f(5, [], { priority: 50 })])
    expect([1, 2, 3, 4, 5].map((id) => scores.get(id))).toEqual([1109, 308, 307, 6, 100])
  })

  it('orders ready features by score, then priority, then id', () => {
    const plan = planFeatures([f(1), f(2, [1]), f(3, [], { priority: 1 }), f(4, [], { priority: 1 })])
    // 1 unblocks 2 (score 1000+...); 3 and 4 tie on score and priority, so id decides.
    expect(plan.ready).toEqual([1, 3, 4])
  })

  it('reports blocked features with what each waits on, and missing ids apart', () => {
    const plan = planFeatures([f(1, [], { passes: true }), f(2, [1]), f(3, [2, 99])])
    expect(plan.ready).toEqual([2])
    expect(plan.blocked).toEqual([{ id: 3, waitingOn: [2], missing: [99] }])
  })

  it('never offers in-progress, passing or parked features', () => {
    const plan = planFeatures([f(1, [], { inProgress: true }), f(2, [], { passes: true }), f(3, [], { parked: true }), f(4)])
    expect(plan.ready).toEqual([4])
  })

  it('finds cycles and everything stuck behind them, a missing id or a parked feature', () => {
    const features = [f(1), f(2, [3]), f(3, [2]), f(4, [99]), f(5, [4]), f(6, [], { parked: true }), f(7, [6]), f(8, [1])]
    const plan = planFeatures(features)
    expect(plan.cycles).toEqual([[2, 3]])
    expect([...findUnsatisfiable(features)].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7])
  })
})
