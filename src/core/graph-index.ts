/**
 * A compact, array-based view of a dependency graph for the hot paths (scores, cycles): nodes are
 * numbered 0..n-1 in id order, edges stored in CSR form. Edges to unknown ids are dropped.
 */
export interface GraphIndex {
  ids: number[]
  /** Node index of an id, -1 when the id is not in the graph. */
  indexOf: (id: number) => number
  /** Position in the input of node i (the input need not be in id order). */
  source: Int32Array
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
  const n = nodes.length
  const source = new Int32Array(n)
  for (let i = 0; i < n; i++) source[i] = i
  // A stable sort by id (equal ids keep input order), skipped when the input is in id order.
  if (!isSortedById(nodes)) source.sort((a, b) => nodes[a]!.id - nodes[b]!.id || a - b)
  const ids = new Array<number>(n)
  for (let i = 0; i < n; i++) ids[i] = nodes[source[i]!]!.id
  const indexOf = lookupTable(ids)

  const depStart = new Int32Array(n + 1)
  const childStart = new Int32Array(n + 1)
  let edges = 0
  for (let i = 0; i < n; i++) {
    depStart[i] = edges
    for (const dep of nodes[source[i]!]!.dependencies) {
      const j = indexOf(dep)
      if (j < 0) continue
      edges++
      childStart[j + 1]!++
    }
  }
  depStart[n] = edges
  for (let i = 0; i < n; i++) childStart[i + 1]! += childStart[i]!
  const depTargets = new Int32Array(edges)
  const childFill = childStart.slice(0, n)
  const childTargets = new Int32Array(edges)
  let at = 0
  for (let i = 0; i < n; i++) {
    const from = at
    for (const dep of nodes[source[i]!]!.dependencies) {
      const j = indexOf(dep)
      if (j < 0) continue
      depTargets[at++] = j
      childTargets[childFill[j]!++] = i
    }
    // Dependencies in ascending order, as the reference stores them (it matters only for self-loops).
    sortRange(depTargets, from, at)
  }
  return { ids, indexOf, source, depStart, depTargets, childStart, childTargets }
}

/** id -> node index; with several nodes of one id, the last. Dense ids use a flat table. */
function lookupTable(ids: readonly number[]): (id: number) => number {
  const n = ids.length
  let maxId = 0
  let integers = true
  for (let i = 0; i < n; i++) {
    const id = ids[i]!
    if (!Number.isInteger(id) || id < 0) integers = false
    else if (id > maxId) maxId = id
  }
  if (integers && maxId <= 8 * n + 1024) {
    const table = new Int32Array(maxId + 1).fill(-1)
    for (let i = 0; i < n; i++) table[ids[i]!] = i
    return (id) => (id >= 0 && id <= maxId && Number.isInteger(id) ? table[id]! : -1)
  }
  const map = new Map<number, number>()
  for (let i = 0; i < n; i++) map.set(ids[i]!, i)
  return (id) => map.get(id) ?? -1
}

/** Insertion sort of values[from..to): dependency lists are short and usually sorted already. */
function sortRange(values: Int32Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const value = values[i]!
    let j = i - 1
    while (j >= from && values[j]! > value) {
      values[j + 1] = values[j]!
      j--
    }
    values[j + 1] = value
  }
}

function isSortedById(nodes: ReadonlyArray<{ id: number }>): boolean {
  for (let i = 1; i < nodes.length; i++) if (nodes[i - 1]!.id >= nodes[i]!.id) return false
  return true
}
