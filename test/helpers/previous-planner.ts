/**
 * The planner as it was before it was made faster (src/core at d6b626d: graph-index.ts,
 * scheduling.ts, batching.ts), ported line by line so that property tests can check that the
 * faster code gives the same plans and batches. Only findCycles is shared: it did not change, and
 * it reads the graph index's ids and dependency arrays, which are built here the old way.
 */
import { findCycles } from '../../src/core/dependency-graph.js'
import { DEFAULT_PRIORITY } from '../../src/core/feature.js'
import type { BlockedFeature, SchedFeature } from '../../src/core/scheduling.js'

interface PreviousGraphIndex {
  ids: number[]
  indexOf: Map<number, number>
  depStart: Int32Array
  depTargets: Int32Array
  childStart: Int32Array
  childTargets: Int32Array
}

export interface PreviousPlan {
  ready: number[]
  blocked: BlockedFeature[]
  cycles: number[][]
  scores: Map<number, number>
}

function indexGraph(
  nodes: ReadonlyArray<{ id: number; dependencies: readonly number[] }>,
): PreviousGraphIndex {
  const sorted = isSortedById(nodes) ? nodes : [...nodes].sort((a, b) => a.id - b.id)
  const n = sorted.length
  const indexOf = new Map<number, number>()
  const ids = new Array<number>(n)
  for (let i = 0; i < n; i++) {
    ids[i] = sorted[i]!.id
    indexOf.set(ids[i]!, i)
  }
  const maxId = n > 0 ? ids[n - 1]! : 0
  const dense = maxId > 0 && maxId <= 8 * n + 1024 ? new Int32Array(maxId + 1).fill(-1) : null
  if (dense) for (let i = 0; i < n; i++) if (ids[i]! >= 0) dense[ids[i]!] = i
  const lookup = (id: number): number =>
    dense ? (id >= 0 && id <= maxId ? dense[id]! : -1) : (indexOf.get(id) ?? -1)

  const depStart = new Int32Array(n + 1)
  const childCount = new Int32Array(n + 1)
  let edges = 0
  for (let i = 0; i < n; i++) {
    depStart[i] = edges
    for (const dep of sorted[i]!.dependencies) {
      const j = lookup(dep)
      if (j < 0) continue
      edges++
      childCount[j]!++
    }
  }
  depStart[n] = edges
  const depTargets = new Int32Array(edges)
  const childStart = new Int32Array(n + 1)
  for (let i = 0; i < n; i++) childStart[i + 1] = childStart[i]! + childCount[i]!
  const childFill = childStart.slice(0, n)
  const childTargets = new Int32Array(edges)
  let at = 0
  for (let i = 0; i < n; i++) {
    const from = at
    for (const dep of sorted[i]!.dependencies) {
      const j = lookup(dep)
      if (j < 0) continue
      depTargets[at++] = j
      childTargets[childFill[j]!++] = i
    }
    depTargets.subarray(from, at).sort()
  }
  return { ids, indexOf, depStart, depTargets, childStart, childTargets }
}

function isSortedById(nodes: ReadonlyArray<{ id: number }>): boolean {
  for (let i = 1; i < nodes.length; i++) if (nodes[i - 1]!.id >= nodes[i]!.id) return false
  return true
}

const priorityOf = (feature: SchedFeature): number => feature.priority ?? DEFAULT_PRIORITY

export function previousComputeScores(
  input: readonly SchedFeature[],
  graph: PreviousGraphIndex = indexGraph(input),
): Map<number, number> {
  const n = graph.ids.length
  const byId = new Map(input.map((feature) => [feature.id, feature]))
  const { depStart, depTargets, childStart, childTargets } = graph

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

  const unblock = downstreamShares(leavesFirst, depStart, depTargets)
  const scores = new Map<number, number>()
  for (let i = 0; i < n; i++) {
    const depthScore = maxDepth > 0 ? 1 - depth[i]! / maxDepth : 1
    const priorityFactor = (10 - Math.min(priorityOf(byId.get(graph.ids[i]!)!), 10)) / 10
    scores.set(graph.ids[i]!, 1000 * unblock[i]! + 100 * depthScore + 10 * priorityFactor)
  }
  return scores
}

function downstreamShares(
  leavesFirst: Int32Array,
  depStart: Int32Array,
  depTargets: Int32Array,
): Float64Array {
  const n = leavesFirst.length
  const shares = new Float64Array(n)
  const counts = new Float64Array(n)
  let max = 0
  for (const node of leavesFirst) {
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

function sortBySchedule<T extends SchedFeature>(
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

function passingIds(features: readonly SchedFeature[]): Set<number> {
  return new Set(features.filter((feature) => feature.passes).map((feature) => feature.id))
}

function isReady(feature: SchedFeature, passing: ReadonlySet<number>): boolean {
  return (
    !feature.passes &&
    !feature.inProgress &&
    !feature.parked &&
    feature.dependencies.every((dep) => passing.has(dep))
  )
}

function findBlocked(
  features: readonly SchedFeature[],
  passing: ReadonlySet<number>,
  known: { has(id: number): boolean },
): BlockedFeature[] {
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
  return blocked
}

export function previousPlanFeatures(features: readonly SchedFeature[]): PreviousPlan {
  const graph = indexGraph(features)
  const scores = previousComputeScores(features, graph)
  const passing = passingIds(features)
  const byId = new Map(features.map((feature) => [feature.id, feature]))
  const inIdOrder = graph.ids.map((id) => byId.get(id)!)
  // findCycles reads only ids, depStart and depTargets of the index it is given.
  const cycleIndex = {
    ...graph,
    indexOf: (id: number) => graph.indexOf.get(id) ?? -1,
    source: new Int32Array(0),
  }
  return {
    ready: sortBySchedule(
      features.filter((feature) => isReady(feature, passing)),
      scores,
    ).map((feature) => feature.id),
    blocked: findBlocked(inIdOrder, passing, graph.indexOf),
    cycles: findCycles(features, cycleIndex),
    scores,
  }
}

export function previousCodingBatches(
  features: readonly SchedFeature[],
  scores: ReadonlyMap<number, number>,
  batchSize: number,
): number[][] {
  const size = Math.min(Math.max(Math.trunc(batchSize), 1), 3)
  const passing = passingIds(features)
  const ready = sortBySchedule(
    features.filter((feature) => isReady(feature, passing)),
    scores,
  )
  if (size === 1) return ready.map((feature) => [feature.id])

  const byId = new Map(features.map((feature) => [feature.id, feature]))
  const children = new Map<number, number[]>()
  for (const feature of features) {
    for (const dep of feature.dependencies) {
      if (!byId.has(dep)) continue
      const list = children.get(dep) ?? []
      list.push(feature.id)
      children.set(dep, list)
    }
  }

  const used = new Set<number>()
  const batches: number[][] = []
  for (const first of ready) {
    if (used.has(first.id)) continue
    const batch = [first.id]
    used.add(first.id)
    const inBatch = new Set(batch)
    const isDoneAfter = (id: number): boolean => passing.has(id) || inBatch.has(id)

    while (batch.length < size) {
      let best: SchedFeature | undefined
      for (const member of batch) {
        for (const childId of children.get(member) ?? []) {
          if (used.has(childId) || isDoneAfter(childId)) continue
          const child = byId.get(childId)!
          if (child.passes || child.inProgress || child.parked) continue
          if (!child.dependencies.every(isDoneAfter)) continue
          if (!best || (scores.get(childId) ?? 0) > (scores.get(best.id) ?? 0)) best = child
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
