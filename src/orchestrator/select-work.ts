import { buildCodingBatches, selectTestingBatch } from '../core/batching.js'
import type { Feature } from '../core/feature.js'
import { computeScores, toSchedFeature } from '../core/scheduling.js'

/**
 * Coding batches in start order (core batching over the board, claimed features counting as in
 * progress). The batch size is an upper bound: with fewer ready features than slots x size,
 * batches shrink so that no slot idles while another agent works through a batch one by one.
 */
export function codingBatches(
  features: readonly Feature[],
  claimed: ReadonlySet<number>,
  settings: { batchSize: number; concurrency: number },
): number[][] {
  const sched = features.map((feature) => toSchedFeature(feature, claimed.has(feature.id)))
  const scores = computeScores(sched)
  const singles = buildCodingBatches(sched, scores, 1)
  const size = Math.max(1, Math.min(settings.batchSize, Math.ceil(singles.length / settings.concurrency)))
  return size === 1 ? singles : buildCodingBatches(sched, scores, size)
}

/** The next testing batch: passing features nobody holds, least recently verified first. */
export function testingBatch(features: readonly Feature[], held: ReadonlySet<number>, size: number): number[] {
  const candidates = features.map((feature) => ({
    id: feature.id,
    passes: feature.state === 'passing',
    inProgress: held.has(feature.id),
    dependencies: feature.dependencies,
    lastVerifiedAt: feature.lastVerifiedAt,
  }))
  return selectTestingBatch(candidates, held, size)
}
