import {
  buildCodingBatches,
  selectTestingBatch,
  computeScores,
  toSchedFeature,
} from '../core/index.js'
import type { Feature } from '../core/index.js'

/**
 * Coding batches in start order (core batching over the board, claimed features counting as in
 * progress). The batch size is an upper bound: a batch holds its dependents back until the whole
 * batch merges, so batches are only as large as the ready work per coding slot
 * (ceil(ready / concurrency)), and smaller still when they would leave some of the `free` slots
 * without work.
 */
export function codingBatches(
  features: readonly Feature[],
  claimed: ReadonlySet<number>,
  settings: { batchSize: number; concurrency: number; free: number },
): number[][] {
  const sched = features.map((feature) => toSchedFeature(feature, claimed.has(feature.id)))
  const scores = computeScores(sched)
  const ready = buildCodingBatches(sched, scores, 1)
  const perSlot = Math.ceil(ready.length / Math.max(settings.concurrency, 1))
  for (let size = Math.min(settings.batchSize, perSlot); ; size--) {
    if (size <= 1) return ready
    const batches = buildCodingBatches(sched, scores, size)
    if (batches.length >= settings.free) return batches
  }
}

/** The next testing batch: passing features nobody holds, least recently verified first. */
export function testingBatch(
  features: readonly Feature[],
  held: ReadonlySet<number>,
  size: number,
): number[] {
  const candidates = features.map((feature) => ({
    id: feature.id,
    passes: feature.state === 'passing',
    inProgress: held.has(feature.id),
    dependencies: feature.dependencies,
    lastVerifiedAt: feature.lastVerifiedAt,
  }))
  return selectTestingBatch(candidates, held, size)
}

/** Slots of one kind in use: agents of that kind not yet settling (a settling agent's merge runs on). */
export function slotsInUse(
  agents: Iterable<{ role: string; phase: string }>,
  kind: 'coding' | 'testing',
): number {
  let used = 0
  for (const agent of agents)
    if ((agent.role === 'testing') === (kind === 'testing') && agent.phase !== 'settling') used++
  return used
}
