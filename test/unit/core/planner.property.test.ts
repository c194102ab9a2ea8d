/**
 * The planner was rewritten for speed (a graph index over the input order, scores read through the
 * index, coding batches that index only the features a batch can grow into). These properties check
 * it against a line-by-line port of the code it replaced (test/helpers/previous-planner.ts): the same
 * ready order, blocked list, cycles, scores and coding batches of every size, on random boards with
 * cycles, self-dependencies, missing and repeated dependencies, parked and in-progress features,
 * sparse ids, missing priorities and input in any order.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { randomBoard } from '../../../bench/random-board.js'
import { buildCodingBatches } from '../../../src/core/batching.js'
import { planFeatures } from '../../../src/core/scheduling.js'
import type { SchedFeature } from '../../../src/core/scheduling.js'
import { previousCodingBatches, previousPlanFeatures } from '../../helpers/previous-planner.js'

/** Ids are unique (they are the store's keys); dense, or sparse enough to skip the flat lookup table. */
const boardArb = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.record({
    ids: fc.oneof(
      fc.shuffledSubarray(
        Array.from({ length: n + 5 }, (_, i) => i + 1),
        { minLength: n, maxLength: n },
      ),
      fc.uniqueArray(fc.integer({ min: 1, max: 10_000_000 }), { minLength: n, maxLength: n }),
    ),
    inIdOrder: fc.boolean(),
    nodes: fc.array(
      fc.record({
        deps: fc.array(fc.nat({ max: n + 2 }), { maxLength: 5 }),
        state: fc.constantFrom('pending', 'pending', 'passing', 'in_progress', 'parked'),
        priority: fc.option(fc.integer({ min: -2, max: 15 }), { nil: undefined }),
        category: fc.constantFrom('a', 'b', 'c'),
      }),
      { minLength: n, maxLength: n },
    ),
  }),
)

type Board = typeof boardArb extends fc.Arbitrary<infer T> ? T : never

function toFeatures({ ids, inIdOrder, nodes }: Board): SchedFeature[] {
  const sorted = inIdOrder ? [...ids].sort((a, b) => a - b) : ids
  // A dependency index past the board names an id that does not exist.
  const idAt = (k: number): number => sorted[k] ?? 20_000_000 + k
  return nodes.map((node, i) => ({
    id: sorted[i]!,
    ...(node.priority === undefined ? {} : { priority: node.priority }),
    category: node.category,
    passes: node.state === 'passing',
    inProgress: node.state === 'in_progress',
    parked: node.state === 'parked',
    dependencies: node.deps.map(idAt),
  }))
}

function expectSamePlan(features: readonly SchedFeature[]): void {
  const plan = planFeatures(features)
  const previous = previousPlanFeatures(features)
  expect(plan.ready).toEqual(previous.ready)
  expect(plan.blocked).toEqual(previous.blocked)
  expect(plan.cycles).toEqual(previous.cycles)
  expect([...plan.scores]).toEqual([...previous.scores])
  expect(plan.scores.size).toBe(previous.scores.size)
  const scoreOf = (scores: ReadonlyMap<number, number>) =>
    features.map((feature) => scores.get(feature.id))
  expect(scoreOf(plan.scores)).toEqual(scoreOf(previous.scores))
  expect(plan.scores.get(-1)).toBeUndefined()
  for (const size of [1, 2, 3])
    expect(buildCodingBatches(features, plan.scores, size)).toEqual(
      previousCodingBatches(features, previous.scores, size),
    )
}

describe('the planner against the code it replaced', () => {
  it('gives the same plan and coding batches on random boards', () => {
    fc.assert(
      fc.property(boardArb, (board) => expectSamePlan(toFeatures(board))),
      { numRuns: 1000 },
    )
  })

  it("gives the same plan and coding batches on plan.bench's board (10,000 features)", () => {
    const board = randomBoard(10_000, 42)
    expectSamePlan(board)
    // The same board with some features in progress or parked, in reverse order.
    expectSamePlan(
      board
        .map((feature, i) => ({ ...feature, inProgress: i % 11 === 3, parked: i % 13 === 5 }))
        .reverse(),
    )
  })
})
