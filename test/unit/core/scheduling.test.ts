import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { computeScores, findUnsatisfiable, planFeatures } from '../../../src/core/scheduling.js'
import type { SchedFeature } from '../../../src/core/scheduling.js'

const f = (
  id: number,
  dependencies: number[] = [],
  extra: Partial<SchedFeature> = {},
): SchedFeature => ({
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
    const scores = computeScores([
      f(1),
      f(2, [1]),
      f(3, [1]),
      f(4, [2, 3]),
      f(5, [], { priority: 50 }),
    ])
    expect([1, 2, 3, 4, 5].map((id) => scores.get(id))).toEqual([1109, 308, 307, 6, 100])
  })

  it('orders ready features by score, then priority, then id', () => {
    const plan = planFeatures([
      f(1),
      f(2, [1]),
      f(3, [], { priority: 1 }),
      f(4, [], { priority: 1 }),
    ])
    // 1 unblocks 2 (score 1000+...); 3 and 4 tie on score and priority, so id decides.
    expect(plan.ready).toEqual([1, 3, 4])
  })

  it('reports blocked features with what each waits on, and missing ids apart', () => {
    const plan = planFeatures([f(1, [], { passes: true }), f(2, [1]), f(3, [2, 99])])
    expect(plan.ready).toEqual([2])
    expect(plan.blocked).toEqual([{ id: 3, waitingOn: [2], missing: [99] }])
  })

  it('never offers in-progress, passing or parked features', () => {
    const plan = planFeatures([
      f(1, [], { inProgress: true }),
      f(2, [], { passes: true }),
      f(3, [], { parked: true }),
      f(4),
    ])
    expect(plan.ready).toEqual([4])
  })

  it('finds cycles and everything stuck behind them, a missing id or a parked feature', () => {
    const features = [
      f(1),
      f(2, [3]),
      f(3, [2]),
      f(4, [99]),
      f(5, [4]),
      f(6, [], { parked: true }),
      f(7, [6]),
      f(8, [1]),
    ]
    const plan = planFeatures(features)
    expect(plan.cycles).toEqual([[2, 3]])
    expect([...findUnsatisfiable(features)].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7])
  })
})

/**
 * A line-by-line port of the reference's compute_scheduling_scores (spec §5, visited-set BFS), with
 * unbounded integers as in Python. The optimised implementation must agree with it.
 */
function referenceScores(features: SchedFeature[]): Map<number, number> {
  const children = new Map<number, number[]>(features.map((x) => [x.id, []]))
  const parents = new Map<number, number[]>(features.map((x) => [x.id, []]))
  for (const x of features) {
    for (const dep of x.dependencies) {
      if (children.has(dep)) {
        children.get(dep)!.push(x.id)
        parents.get(x.id)!.push(dep)
      }
    }
  }
  const depths = new Map<number, number>()
  const roots = features.filter((x) => parents.get(x.id)!.length === 0).map((x) => x.id)
  const visited = new Set(roots)
  const queue: Array<readonly [number, number]> = roots.map((root) => [root, 0] as const)
  while (queue.length) {
    const [node, depth] = queue.shift()!
    depths.set(node, depth)
    for (const child of children.get(node)!) {
      if (!visited.has(child)) {
        visited.add(child)
        queue.push([child, depth + 1])
      }
    }
  }
  for (const x of features) if (!depths.has(x.id)) depths.set(x.id, 0)
  const downstream = new Map<number, bigint>(features.map((x) => [x.id, 0n]))
  const keys = [...depths.keys()]
  const sorted = keys
    .map((k, i) => [k, i] as const)
    .sort((a, b) => depths.get(b[0])! - depths.get(a[0])! || a[1] - b[1])
  for (const [id] of sorted)
    for (const parent of parents.get(id)!)
      downstream.set(parent, downstream.get(parent)! + 1n + downstream.get(id)!)
  const maxDepth = Math.max(...depths.values())
  const maxDown = [...downstream.values()].reduce((a, b) => (b > a ? b : a), 0n)
  const scores = new Map<number, number>()
  for (const x of features) {
    const unblock =
      maxDown > 0n ? Number((downstream.get(x.id)! * (1n << 64n)) / maxDown) / 2 ** 64 : 0
    const depthScore = maxDepth > 0 ? 1 - depths.get(x.id)! / maxDepth : 1
    scores.set(
      x.id,
      1000 * unblock + 100 * depthScore + 10 * ((10 - Math.min(x.priority ?? 999, 10)) / 10),
    )
  }
  return scores
}

describe('scheduling score on graphs with huge path counts', () => {
  it('agrees with a direct port of the reference past 2^53 downstream paths', () => {
    // A ladder: each feature depends on the two before it, so path counts grow like Fibonacci.
    const ladder = Array.from({ length: 300 }, (_, i) =>
      f(i + 1, i === 0 ? [] : i === 1 ? [1] : [i - 1, i]),
    )
    const scores = computeScores(ladder)
    expect([...scores.values()].every(Number.isFinite)).toBe(true)
    expect(scores.get(1)).toBe(1109)
    const expected = referenceScores(ladder)
    for (const [id, score] of expected) expect(scores.get(id)).toBeCloseTo(score, 9)
  })

  it('agrees with a direct port of the reference on random graphs, cycles included', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 30 })
          .chain((n) =>
            fc.array(
              fc.tuple(
                fc.array(fc.integer({ min: 1, max: n + 2 }), { maxLength: 3 }),
                fc.integer({ min: 1, max: 12 }),
              ),
              { minLength: n, maxLength: n },
            ),
          ),
        (nodes) => {
          const features = nodes.map(([deps, priority], i) =>
            f(
              i + 1,
              [...new Set(deps)].sort((a, b) => a - b),
              { priority },
            ),
          )
          const expected = referenceScores(features)
          const actual = computeScores(features)
          for (const [id, score] of expected) expect(actual.get(id)).toBeCloseTo(score, 9)
        },
      ),
      { numRuns: 300 },
    )
  })
})
