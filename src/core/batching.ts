import { passingIds, sortBySchedule } from './scheduling.js'
import type { SchedFeature } from './scheduling.js'

export const MAX_CODING_BATCH = 3
export const MAX_TESTING_BATCH = 5

/**
 * Batches for coding agents, as in the reference: walk the ready list in order; each batch starts
 * with the next unused ready feature, grows along its dependency chain (children of any member whose
 * dependencies would all be satisfied once the batch is done; highest score wins, ties go to the
 * first seen), then fills with ready features of the same category. Members are implemented in order.
 * `batchSize` is clamped to 1..3; with 1 every ready feature is its own batch.
 */
export function buildCodingBatches(
  features: readonly SchedFeature[],
  scores: ReadonlyMap<number, number>,
  batchSize: number,
): number[][] {
  const size = Math.min(Math.max(Math.trunc(batchSize), 1), MAX_CODING_BATCH)
  const passing = passingIds(features)
  const { ready: unordered, waiting } = readyAndWaiting(features, passing, size - 1)
  const ready = sortBySchedule(unordered, scores)
  if (size === 1) return ready.map((feature) => [feature.id])

  const used = new Set<number>()
  const batches: number[][] = []
  for (const first of ready) {
    if (used.has(first.id)) continue
    const batch = [first.id]
    used.add(first.id)
    // Done once the batch is: passing already, or a member (no copy of `passing` per batch).
    const inBatch = new Set(batch)
    const isDoneAfter = (id: number): boolean => passing.has(id) || inBatch.has(id)

    while (batch.length < size) {
      let best: SchedFeature | undefined
      for (const member of batch) {
        for (const child of waiting.get(member) ?? []) {
          if (used.has(child.id) || isDoneAfter(child.id)) continue
          if (!child.dependencies.every(isDoneAfter)) continue
          if (!best || (scores.get(child.id) ?? 0) > (scores.get(best.id) ?? 0)) best = child
        }
      }
      if (!best) break
      batch.push(best.id)
      used.add(best.id)
      inBatch.add(best.id)
    }

    for (const candidate of ready) {
      if (batch.length >= size) break
      if (used.has(candidate.id) || candidate.category !== first.category) continue
      batch.push(candidate.id)
      used.add(candidate.id)
    }
    batches.push(batch)
  }
  return batches
}

/**
 * One pass over the board: the ready features (input order), and the features a batch could grow
 * into, by each dependency they wait on. Only a feature that is not passing, in progress or parked
 * and waits on at most `maxWaiting` distinct dependencies can join a batch along its chain (every
 * dependency it waits on must be a member), so the others are not indexed.
 */
function readyAndWaiting(
  features: readonly SchedFeature[],
  passing: ReadonlySet<number>,
  maxWaiting: number,
): { ready: SchedFeature[]; waiting: Map<number, SchedFeature[]> } {
  const ready: SchedFeature[] = []
  const waiting = new Map<number, SchedFeature[]>()
  // A buffer of fixed size with a count: emptying an array (length = 0) drops its storage, and
  // refilling it allocates anew for every feature of the board.
  const unmet = new Array<number>(maxWaiting + 1).fill(0)
  for (const feature of features) {
    if (feature.passes || feature.inProgress || feature.parked) continue
    let count = 0
    for (const dep of feature.dependencies) {
      if (passing.has(dep) || includes(unmet, count, dep)) continue
      unmet[count++] = dep
      if (count > maxWaiting) break
    }
    if (count === 0) ready.push(feature)
    else if (count <= maxWaiting) {
      for (let k = 0; k < count; k++) {
        const list = waiting.get(unmet[k]!)
        if (list) list.push(feature)
        else waiting.set(unmet[k]!, [feature])
      }
    }
  }
  return { ready, waiting }
}

function includes(values: readonly number[], count: number, value: number): boolean {
  for (let k = 0; k < count; k++) if (values[k] === value) return true
  return false
}

/** What choosing features for a testing agent needs to know. */
export interface TestingCandidate {
  id: number
  passes: boolean
  inProgress: boolean
  dependencies: readonly number[]
  /** When it was last verified (ms), or null if never. */
  lastVerifiedAt: number | null
}

/**
 * A batch for a testing agent: passing features nobody holds, least recently verified first; among
 * equals, those more passing features depend on (a regression there hurts more), then lower id.
 * `excluded` holds ids that coders or other testers hold. Size is clamped to 1..5.
 */
export function selectTestingBatch(
  candidates: readonly TestingCandidate[],
  excluded: ReadonlySet<number>,
  batchSize: number,
): number[] {
  const size = Math.min(Math.max(Math.trunc(batchSize), 1), MAX_TESTING_BATCH)
  const passing = new Set(candidates.filter((c) => c.passes).map((c) => c.id))
  const dependents = new Map<number, number>()
  for (const candidate of candidates) {
    if (!candidate.passes) continue
    for (const dep of candidate.dependencies) dependents.set(dep, (dependents.get(dep) ?? 0) + 1)
  }
  return candidates
    .filter((c) => passing.has(c.id) && !c.inProgress && !excluded.has(c.id))
    .sort(
      (a, b) =>
        (a.lastVerifiedAt ?? -Infinity) - (b.lastVerifiedAt ?? -Infinity) ||
        (dependents.get(b.id) ?? 0) - (dependents.get(a.id) ?? 0) ||
        a.id - b.id,
    )
    .slice(0, size)
    .map((c) => c.id)
}
