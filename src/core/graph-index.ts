/**
 * A compact, array-based view of a dependency graph for the hot paths (scores, cycles): nodes are
 * numbered 0..n-1 in id order, edges stored in CSR form. Edges to unknown ids are dropped.
 */
export interface GraphIndex {
  ids: number[]
  indexOf: Map<number, number>
  /** deps of node i: depTargets[depStart[i] .. depStart[i+1]) (node indexes). */
  depStart: Int32Array
  depTargets: Int32Array
  /** dependents of node i, in the order the reference builds its children lists. */
  childStart: Int32Array
  childTargets: Int32Array
}

export function indexGraph(
  nodes: ReadonlyArray<{ id: number; dependencies: readonly number[] }>,
): GraphIndex {
  const sorted = isSortedById(nodes) ? nodes : [...nodes].sort((a, b) => a.id - b.id)
  const n = sorted.length
  const indexOf = new Map<number, number>()
  const ids = new Array<number>(n)
  for (let i = 0; i < n; i++) {
    ids[i] = sorted[i]!.id
    indexOf.set(ids[i]!, i)
  }
  // Ids are usually dense: a flat lookup table is much faster than the Map in the edge loops.
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
    // Dependencies in ascending order, as the reference stores them (it matters only for self-loops).
    depTargets.subarray(from, at).sort()
  }
  return { ids, indexOf, depStart, depTargets, childStart, childTargets }
}

function isSortedById(nodes: ReadonlyArray<{ id: number }>): boolean {
  for (let i = 1; i < nodes.length; i++) if (nodes[i - 1]!.id >= nodes[i]!.id) return false
  return true
}
