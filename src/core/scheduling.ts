import { findCycles } from './dependency-graph.js'
import { DEFAULT_PRIORITY } from './feature.js'
import type { Feature } from './feature.js'

/**
 * What scheduling needs to know about a feature. `parked` features (waiting for a person, or
 * skipped) are never ready and do not satisfy their dependents.
 */
export interface SchedFeature {
  id: number
  priority?: number
  category: string
  passes: boolean
  inProgress: boolean
  parked?: boolean
  dependencies: readonly number[]
}

/** Maps a stored feature to its scheduling view (`claimed` = some agent holds a claim on it). */
export function toSchedFeature(feature: Feature, claimed = false): SchedFeature {
  return {
    id: feature.id,
    priority: feature.priority,
    category: feature.category,
    passes: feature.state === 'passing',
    inProgress: claimed || feature.state === 'in_progress',
    parked: feature.state === 'needs_human' || feature.state === 'skipped',
    dependencies: feature.dependencies,
  }
}

const priorityOf = (feature: SchedFeature): number => feature.priority ?? DEFAULT_PRIORITY

/**
 * The reference's scheduling score (higher = sooner), same formula and traversal order so that a
 * graph gets the same ready order as in the reference:
 * `1000 * downstream/maxDownstream + 100 * (1 - depth/maxDepth) + 10 * (10 - min(priority, 10)) / 10`.
 * Depth is the BFS distance from the nearest root; downstream counts are summed leaves-first along
 * existing edges (diamonds count twice, as in the reference). O(V + E + V log V).
 */
export function computeScores(input: readonly SchedFeature[]): Map<number, number> {
  // The reference reads features in id order; sorting first makes scores independent of input order.
  const features = [...input].sort((a, b) => a.id - b.id)
  const children = new Map<number, number[]>()
  const parents = new Map<number, number[]>()
  for (const feature of features) {
    children.set(feature.id, [])
    parents.set(feature.id, [])
  }
  for (const feature of features) {
    for (const dep of feature.dependencies) {
      const siblings = children.get(dep)
      if (!siblings) continue
      siblings.push(feature.id)
      parents.get(feature.id)!.push(dep)
    }
  }

  // BFS from the roots; the first visit fixes a node's depth. `order` is the visit order.
  const depth = new Map<number, number>()
  const order: number[] = []
  for (const feature of features) {
    if (parents.get(feature.id)!.length === 0 && !depth.has(feature.id)) {
      depth.set(feature.id, 0)
      order.push(feature.id)
    }
  }
  for (let head = 0; head < order.length; head++) {
    const id = order[head]!
    for (const child of children.get(id)!) {
      if (!depth.has(child)) {
        depth.set(child, depth.get(id)! + 1)
        order.push(child)
      }
    }
  }
  for (const feature of features) {
    if (!depth.has(feature.id)) {
      depth.set(feature.id, 0)
      order.push(feature.id)
    }
  }

  // Leaves first: stable sort by descending depth keeps visit order among equal depths.
  const byDepth = order
    .map((id, position) => ({ id, position, depth: depth.get(id)! }))
    .sort((a, b) => b.depth - a.depth || a.position - b.position)
  const downstream = new Map<number, number>(features.map((feature) => [feature.id, 0]))
  for (const { id } of byDepth) {
    const own = downstream.get(id)!
    for (const parent of parents.get(id)!) downstream.set(parent, downstream.get(parent)! + 1 + own)
  }

  let maxDepth = 0
  let maxDownstream = 0
  for (const value of depth.values()) maxDepth = Math.max(maxDepth, value)
  for (const value of downstream.values()) maxDownstream = Math.max(maxDownstream, value)

  const scores = new Map<number, number>()
  for (const feature of features) {
    const unblock = maxDownstream > 0 ? downstream.get(feature.id)! / maxDownstream : 0
    const depthScore = maxDepth > 0 ? 1 - depth.get(feature.id)! / maxDepth : 1
    const priorityFactor = (10 - Math.min(priorityOf(feature), 10)) / 10
    scores.set(feature.id, 1000 * unblock + 100 * depthScore + 10 * priorityFactor)
  }
  return scores
}

/** Sorts in scheduling order: higher score first, then lower priority number, then lower id. */
export function sortBySchedule<T extends SchedFeature>(features: readonly T[], scores: ReadonlyMap<number, number>): T[] {
  return [...features].sort(
    (a, b) =>
      (scores.get(b.id) ?? 0) - (scores.get(a.id) ?? 0) || priorityOf(a) - priorityOf(b) || a.id - b.id,
  )
}

export function passingIds(features: readonly SchedFeature[]): Set<number> {
  return new Set(features.filter((feature) => feature.passes).map((feature) => feature.id))
}

/** Ready: not passing, not in progress, not parked, and every dependency passing. */
export function isReady(feature: SchedFeature, passing: ReadonlySet<number>): boolean {
  return (
    !feature.passes &&
    !feature.inProgress &&
    !feature.parked &&
    feature.dependencies.every((dep) => passing.has(dep))
  )
}

export interface BlockedFeature {
  id: number
  /** Dependencies that exist but do not pass yet. */
  waitingOn: number[]
  /** Dependencies on ids that do not exist (never satisfiable). */
  missing: number[]
}

export interface Plan {
  /** Ready features in scheduling order. */
  ready: number[]
  /** Non-passing features with at least one dependency that does not pass, in id order. */
  blocked: BlockedFeature[]
  /** Dependency cycles (each id depends on the next; the last on the first). */
  cycles: number[][]
  scores: Map<number, number>
}

/** The whole scheduling picture of a board in one pass. */
export function planFeatures(features: readonly SchedFeature[]): Plan {
  const scores = computeScores(features)
  const passing = passingIds(features)
  const known = new Set(features.map((feature) => feature.id))
  const ready = sortBySchedule(
    features.filter((feature) => isReady(feature, passing)),
    scores,
  ).map((feature) => feature.id)
  const blocked: BlockedFeature[] = []
  for (const feature of [...features].sort((a, b) => a.id - b.id)) {
    if (feature.passes) continue
    const unmet = feature.dependencies.filter((dep) => !passing.has(dep))
    if (unmet.length === 0) continue
    blocked.push({
      id: feature.id,
      waitingOn: unmet.filter((dep) => known.has(dep)),
      missing: unmet.filter((dep) => !known.has(dep)),
    })
  }
  return { ready, blocked, cycles: findCycles(features), scores }
}

/**
 * Features that can never become ready however the run goes: in a cycle, depending on a missing
 * id, on a parked feature, or (transitively) on any of those. Used to stop a run with a report
 * instead of waiting forever.
 */
export function findUnsatisfiable(features: readonly SchedFeature[]): Set<number> {
  const byId = new Map(features.map((feature) => [feature.id, feature]))
  const dependents = new Map<number, number[]>()
  const stuck = new Set<number>()
  const queue: number[] = []
  const mark = (id: number): void => {
    if (stuck.has(id) || byId.get(id)?.passes) return
    stuck.add(id)
    queue.push(id)
  }
  for (const feature of features) {
    for (const dep of feature.dependencies) {
      const list = dependents.get(dep) ?? []
      list.push(feature.id)
      dependents.set(dep, list)
      if (!byId.has(dep)) mark(feature.id)
    }
  }
  for (const cycle of findCycles(features)) cycle.forEach(mark)
  for (const feature of features) if (feature.parked && !feature.passes) mark(feature.id)
  for (let head = 0; head < queue.length; head++) {
    for (const dependent of dependents.get(queue[head]!) ?? []) mark(dependent)
  }
  return stuck
}
