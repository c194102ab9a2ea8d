/**
 * A compact, array-based view of a dependency graph for the hot paths (scores, cycles): nodes are
 * numbered 0..n-1 in id order, edges stored in CSR form. Edges to unknown ids are dropped.
 */
export interface GraphIndex {
  ids: Int32Array | number[]
  indexOf: Map<number, number>
  /** deps of node i: depTargets[depStart[i] .. depStart[i+1]) (node indexes). */
  depStart: Int32Array
  depTargets: Int32Array
  /** dependents of node i, in the order the reference builds its children lists. */
  childStart: Int32Array
  childTargets: Int32Array
}

export function indexGraph(nodes: ReadonlyArray<{ id: number; dependencies: readonly number[] }>): GraphIndex {
  // Dependencies in ascending order, as the reference stores them (it matters only for self-loops).
  const sorted = [...nodes]
    .sort((a, b) => a.id - b.id)
    .map((node) => ({ id: node.id, dependencies: [...node.dependencies].sort((a, b) => a - b) }))
  const n = sorted.length
  const indexOf = new Map<number, number>()
  sorted.forEach((node, i) => indexOf.set(node.id, i))
  const depStart = new Int32Array(n + 1)
  const childCount = new Int32Array(n + 1)
  let edges = 0
  for (let i = 0; i < n; i++) {
    depStart[i] = edges
    for (const dep of sorted[i]!.dependencies) {
      const j = indexOf.get(dep)
      if (j === undefined) continue
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
    for (const dep of sorted[i]!.dependencies) {
      const j = indexOf.get(dep)
      if (j === undefined) continue
      depTargets[at++] = j
      childTargets[childFill[j]!++] = i
    }
  }
  return { ids: sorted.map((node) => node.id), indexOf, depStart, depTargets, childStart, childTargets }
}
