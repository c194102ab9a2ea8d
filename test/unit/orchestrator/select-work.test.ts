import { describe, expect, it } from 'vitest'

import type { Feature, FeatureState } from '../../../src/core/feature.js'
import { codingBatches } from '../../../src/orchestrator/select-work.js'

function feature(
  id: number,
  dependencies: number[] = [],
  category = 'core',
  state: FeatureState = 'pending',
): Feature {
  return {
    id,
    priority: id,
    category,
    name: `f${id}`,
    description: '',
    steps: [],
    dependencies,
    state,
    attempts: 0,
    lastVerifiedAt: null,
    createdAt: 0,
    updatedAt: 0,
  }
}

describe('coding batches', () => {
  it('uses full batches when there are enough of them for the free slots', () => {
    const board = [
      feature(1, [], 'a'),
      feature(2, [], 'b'),
      feature(3, [1], 'a'),
      feature(4, [2], 'b'),
    ]
    expect(codingBatches(board, new Set(), { batchSize: 3, concurrency: 1, free: 1 })).toEqual([
      [1, 3],
      [2, 4],
    ])
  })

  it('sizes batches by the ready work per slot and shrinks them until every free slot gets one', () => {
    const board = [feature(1), feature(2), feature(3), feature(4)]
    expect(codingBatches(board, new Set(), { batchSize: 3, concurrency: 1, free: 1 })).toEqual([
      [1, 2, 3],
      [4],
    ])
    expect(codingBatches(board, new Set(), { batchSize: 3, concurrency: 2, free: 1 })).toEqual([
      [1, 2],
      [3, 4],
    ])
    expect(codingBatches(board, new Set(), { batchSize: 3, concurrency: 2, free: 2 })).toEqual([
      [1, 2],
      [3, 4],
    ])
    expect(codingBatches(board, new Set(), { batchSize: 3, concurrency: 3, free: 3 })).toEqual([
      [1],
      [2],
      [3],
      [4],
    ])
  })

  it('leaves claimed and passing features out', () => {
    const board = [feature(1, [], 'a', 'passing'), feature(2, [1]), feature(3)]
    expect(codingBatches(board, new Set([3]), { batchSize: 3, concurrency: 2, free: 2 })).toEqual([
      [2],
    ])
  })
})
