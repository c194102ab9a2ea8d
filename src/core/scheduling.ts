import { findCycles } from './dependency-graph.js'
import { indexGraph } from './graph-index.js'
import type { GraphIndex } from './graph-index.js'
import { DEFAULT_PRIORITY } from './feature-limits.js'
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
 * existing edges (diamonds count twice, as in the reference, whose integers never overflow: past
 * 2^53 the sums continue in BigInt). O(V + E).
 */
export function computeScores(
  input: readonly SchedFeature[],
  graph: GraphIndex = indexGraph(input),
): ReadonlyMap<number, number> {
  // The reference reads features in id order; indexGraph sorts by id, so input order does not matter.
  const n = graph.ids.length
  const { depStart, depTargets, childStart, childTargets, source } = graph

  // BFS from the roots; the first visit fixes a node's depth. `order` is the visit order.
  const depth = new Int32Array(n).fill(-1)
  const order = new Int32Array(n)
  let tail = 0
  for (let i = 0; i < n; i++) {
    if (depStart[i + 1] === depStart[i]) {
      depth[i] = 0
      order[tail++] = i
    }
  }
  for (let head = 0; head < tail; head++) {
    const node = order[head]!
    for (let e = childStart[node]!; e < childStart[node + 1]!; e++) {
      const child = childTargets[e]!
      if (depth[child] === -1) {
        depth[child] = depth[node]! + 1
        order[tail++] = child
      }
    }
  }
  for (let i = 0; i < n; i++) {
    if (depth[i] === -1) {
      depth[i] = 0
      order[tail++] = i
    }
  }

  // Leaves first; among equal depths, visit order (a stable counting sort).
  let maxDepth = 0
  for (let i = 0; i < n; i++) maxDepth = Math.max(maxDepth, depth[i]!)
  const bucketStart = new Int32Array(maxDepth + 2)
  for (let i = 0; i < n; i++) bucketStart[maxDepth - depth[i]! + 1]!++
  for (let b = 1; b <= maxDepth + 1; b++) bucketStart[b]! += bucketStart[b - 1]!
  const leavesFirst = new Int32Array(n)
  for (let k = 0; k < n; k++) {
    const node = order[k]!
    leavesFirst[bucketStart[maxDepth - depth[node]!]!++] = node
  }

  const scores = downstreamShares(leavesFirst, depStart, depTargets)
  for (let i = 0; i < n; i++) {
    const depthScore = maxDepth > 0 ? 1 - depth[i]! / maxDepth : 1
    const priorityFactor = (10 - Math.min(priorityOf(input[source[i]!]!), 10)) / 10
    scores[i] = 1000 * scores[i]! + 100 * depthScore + 10 * priorityFactor
  }
  return new ScoreTable(graph, scores)
}

/**
 * Scores by feature id, read-only, over the graph's arrays: building a Map of 10,000 numbers
 * costs more than computing them. Iterates in id order.
 */
class ScoreTable implements ReadonlyMap<number, number> {
  readonly #graph: GraphIndex
  readonly #scores: Float64Array

  constructor(graph: GraphIndex, scores: Float64Array) {
    this.#graph = graph
    this.#scores = scores
  }

  get(id: number): number | undefined {
    const node = this.#graph.indexOf(id)
    return node < 0 ? undefined : this.#scores[node]
  }

  has(id: number): boolean {
    return this.#graph.indexOf(id) >= 0
  }

  get size(): number {
    let size = 0
    for (const _ of this.keys()) size++
    return size
  }

  *entries(): MapIterator<[number, number]> {
    const { ids, indexOf } = this.#graph
    // With a repeated id the last node wins, as in a Map filled in id order.
    for (let i = 0; i < ids.length; i++)
      if (indexOf(ids[i]!) === i) yield [ids[i]!, this.#scores[i]!]
  }

  *keys(): MapIterator<number> {
    for (const [id] of this.entries()) yield id
  }

  *values(): MapIterator<number> {
    for (const [, score] of this.entries()) yield score
  }

  forEach(use: (score: number, id: number, map: ReadonlyMap<number, number>) => void): void {
    for (const [id, score] of this.entries()) use(score, id, this)
  }

  [Symbol.iterator](): MapIterator<[number, number]> {
    return this.entries()
  }
}

/** downstream[i] / max(downstream) for every node, exactly even when counts pass 2^53. */
function downstreamShares(
  leavesFirst: Int32Array,
  depStart: Int32Array,
  depTargets: Int32Array,
): Float64Array {
  const n = leavesFirst.length
  const shares = new Float64Array(n)
  const counts = new Float64Array(n)
  let max = 0
  // The node's own count is re-read for each parent: with a self-dependency it changes mid-loop, as in the reference.
  for (let k = 0; k < n; k++) {
    const node = leavesFirst[k]!
    for (let e = depStart[node]!; e < depStart[node + 1]!; e++)
      counts[depTargets[e]!]! += 1 + counts[node]!
  }
  for (let i = 0; i < n; i++) max = Math.max(max, counts[i]!)
  if (max <= Number.MAX_SAFE_INTEGER) {
    if (max > 0) for (let i = 0; i < n; i++) shares[i] = counts[i]! / max
    return shares
  }
  const big = new Array<bigint>(n).fill(0n)
  for (const node of leavesFirst) {
    for (let e = depStart[node]!; e < depStart[node + 1]!; e++)
      big[depTargets[e]!]! += 1n + big[node]!
  }
  const bigMax = big.reduce((a, b) => (b > a ? b : a), 0n)
  const scale = 1n << 64n
  for (let i = 0; i < n; i++) shares[i] = Number((big[i]! * scale) / bigMax) / 2 ** 64
  return shares
}

/** Sorts in scheduling order: higher score first, then lower priority number, then lower id. */
export function sortBySchedule<T extends SchedFeature>(
  features: readonly T[],
  scores: ReadonlyMap<number, number>,
): T[] {
  return [...features].sort(
    (a, b) =>
      (scores.get(b.id) ?? 0) - (scores.get(a.id) ?? 0) ||
      priorityOf(a) - priorityOf(b) ||
      a.id - b.id,
  )
}

/** A set of feature ids as the planner reads it: a `Set`, or a view over a graph's arrays. */
export interface IdLookup {
  has(id: number): boolean
}

export function passingIds(features: readonly SchedFeature[]): Set<number> {
  return new Set(features.filter((feature) => feature.passes).map((feature) => feature.id))
}

/**
 * `passingIds` over the graph's node numbers: one byte per node instead of a Set of thousands of
 * ids (on large boards the Set's allocation costs more than the lookups). An id passes when any
 * feature with that id passes, as in the Set.
 */
function passingNodes(features: readonly SchedFeature[], graph: GraphIndex): IdLookup {
  const flags = new Uint8Array(graph.ids.length)
  for (const feature of features) if (feature.passes) flags[graph.indexOf(feature.id)] = 1
  return {
    has: (id) => {
      const node = graph.indexOf(id)
      return node >= 0 && flags[node] === 1
    },
  }
}

/** Ready: not passing, not in progress, not parked, and every dependency passing. */
export function isReady(feature: SchedFeature, passing: IdLookup): boolean {
  if (feature.passes || feature.inProgress || feature.parked) return false
  for (const dep of feature.dependencies) if (!passing.has(dep)) return false
  return true
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
  scores: ReadonlyMap<number, number>
}

/** Ready features (not passing, in progress or parked; every dependency passing) in scheduling order. */
export function readyInOrder(
  features: readonly SchedFeature[],
  scores: ReadonlyMap<number, number>,
  passing: IdLookup = passingIds(features),
): number[] {
  return sortBySchedule(
    features.filter((feature) => isReady(feature, passing)),
    scores,
  ).map((feature) => feature.id)
}

/**
 * Non-passing features with at least one dependency that does not pass, in id order; `known`
 * holds the ids that exist (a dependency on any other id is reported as missing).
 */
export function findBlocked(
  features: readonly SchedFeature[],
  passing: IdLookup,
  known: IdLookup,
): BlockedFeature[] {
  const blocked: BlockedFeature[] = []
  const inIdOrder = features.every((feature, i) => i === 0 || features[i - 1]!.id <= feature.id)
  // Collected in reused buffers, then copied at their exact size: a list grown by push from
  // empty reserves room for 17 ids, and a large board has thousands of blocked features.
  const waitingOn: number[] = []
  const missing: number[] = []
  for (const feature of inIdOrder ? features : [...features].sort((a, b) => a.id - b.id)) {
    if (feature.passes) continue
    let waitingCount = 0
    let missingCount = 0
    for (const dep of feature.dependencies) {
      if (passing.has(dep)) continue
      if (known.has(dep)) waitingOn[waitingCount++] = dep
      else missing[missingCount++] = dep
    }
    if (waitingCount + missingCount > 0)
      blocked.push({
        id: feature.id,
        waitingOn: waitingOn.slice(0, waitingCount),
        missing: missing.slice(0, missingCount),
      })
  }
  return blocked
}

/** The whole scheduling picture of a board in one pass. */
export function planFeatures(features: readonly SchedFeature[]): Plan {
  const graph = indexGraph(features)
  const scores = computeScores(features, graph)
  const passing = passingNodes(features, graph)
  const inIdOrder = Array.from(graph.source, (position) => features[position]!)
  return {
    ready: readyInOrder(features, scores, passing),
    blocked: findBlocked(inIdOrder, passing, { has: (id) => graph.indexOf(id) >= 0 }),
    cycles: findCycles(features, graph),
    scores,
  }
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
