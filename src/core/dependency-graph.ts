import { MAX_DEPENDENCIES } from './feature-limits.js'
import { indexGraph } from './graph-index.js'
import type { GraphIndex } from './graph-index.js'
import type { CoreErrorCode } from './error-codes.js'
import { err, ok } from './result.js'
import type { AppError, Result } from './result.js'

/** The least a graph algorithm needs to know about a feature. */
export interface GraphNode {
  id: number
  dependencies: readonly number[]
}

export type DependencyErrorCode = Extract<
  CoreErrorCode,
  'TOO_MANY_DEPENDENCIES' | 'SELF_DEPENDENCY' | 'UNKNOWN_DEPENDENCY' | 'DUPLICATE_DEPENDENCY'
>

/**
 * Checks a proposed dependency list in the reference's order: count, self, unknown ids, duplicates.
 * Cycles are checked separately (they need the whole graph).
 */
export function validateDependencies(
  featureId: number,
  dependencyIds: readonly number[],
  knownIds: ReadonlySet<number>,
): Result<number[], AppError<DependencyErrorCode>> {
  if (dependencyIds.length > MAX_DEPENDENCIES) {
    return err(
      'TOO_MANY_DEPENDENCIES',
      `Feature ${featureId} would have ${dependencyIds.length} dependencies; the maximum is ${MAX_DEPENDENCIES}. Split the feature or drop indirect dependencies.`,
    )
  }
  if (dependencyIds.includes(featureId)) {
    return err(
      'SELF_DEPENDENCY',
      `Feature ${featureId} cannot depend on itself; remove ${featureId} from its dependencies.`,
    )
  }
  const missing = dependencyIds.filter((id) => !knownIds.has(id))
  if (missing.length > 0) {
    return err(
      'UNKNOWN_DEPENDENCY',
      `Feature ${featureId} depends on unknown feature id(s) ${missing.join(', ')}; use ids of existing features.`,
    )
  }
  if (new Set(dependencyIds).size !== dependencyIds.length) {
    const seen = new Set<number>()
    const duplicate = dependencyIds.find((id) => (seen.has(id) ? true : (seen.add(id), false)))
    return err(
      'DUPLICATE_DEPENDENCY',
      `Feature ${featureId} lists dependency ${duplicate} twice; list each dependency once.`,
    )
  }
  return ok([...dependencyIds].sort((a, b) => a - b))
}

function indexNodes(nodes: readonly GraphNode[]): Map<number, readonly number[]> {
  return new Map(nodes.map((node) => [node.id, node.dependencies]))
}

/**
 * The dependency path from `from` to `to` (following dependency edges), or null if there is none.
 * Iterative, no depth limit.
 */
export function findDependencyPath(
  nodes: readonly GraphNode[],
  from: number,
  to: number,
): number[] | null {
  const deps = indexNodes(nodes)
  if (!deps.has(from) || !deps.has(to)) return null
  const previous = new Map<number, number | null>([[from, null]])
  const queue = [from]
  for (let head = 0; head < queue.length; head++) {
    const current = queue[head]!
    if (current === to) {
      const path: number[] = []
      for (let at: number | null | undefined = to; at != null; at = previous.get(at)) path.push(at)
      return path.reverse()
    }
    for (const dep of deps.get(current) ?? []) {
      if (!previous.has(dep) && deps.has(dep)) {
        previous.set(dep, current)
        queue.push(dep)
      }
    }
  }
  return null
}

/**
 * Would `source` gaining a dependency on `target` close a cycle? Returns the cycle it would close
 * (source, target, ..., source) or null. Unknown ids never close a cycle; no depth limit.
 */
export function cycleIfAdded(
  nodes: readonly GraphNode[],
  source: number,
  target: number,
): number[] | null {
  if (source === target) return [source, source]
  const path = findDependencyPath(nodes, target, source)
  return path ? [source, ...path] : null
}

/**
 * Every dependency cycle, one per strongly connected component that has one: each cycle lists ids
 * such that each depends on the next and the last depends on the first. Iterative Tarjan, O(V+E).
 * Edges to unknown ids are ignored.
 */
export function findCycles(
  nodes: readonly GraphNode[],
  graph: GraphIndex = indexGraph(nodes),
): number[][] {
  const { depStart, depTargets } = graph
  const n = graph.ids.length
  const index = new Int32Array(n).fill(-1)
  const low = new Int32Array(n)
  const onStack = new Uint8Array(n)
  const stack = new Int32Array(n)
  let stackSize = 0
  const frames = new Int32Array(n)
  const nextEdge = new Int32Array(n)
  const components: number[][] = []
  let counter = 0

  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue
    let depthOfWork = 0
    frames[depthOfWork++] = root
    index[root] = low[root] = counter++
    nextEdge[root] = depStart[root]!
    stack[stackSize++] = root
    onStack[root] = 1
    while (depthOfWork > 0) {
      const node = frames[depthOfWork - 1]!
      if (nextEdge[node]! < depStart[node + 1]!) {
        const dep = depTargets[nextEdge[node]!++]!
        if (index[dep] === -1) {
          index[dep] = low[dep] = counter++
          nextEdge[dep] = depStart[dep]!
          stack[stackSize++] = dep
          onStack[dep] = 1
          frames[depthOfWork++] = dep
        } else if (onStack[dep]) {
          low[node] = Math.min(low[node]!, index[dep]!)
        }
        continue
      }
      depthOfWork--
      if (depthOfWork > 0) {
        const parent = frames[depthOfWork - 1]!
        low[parent] = Math.min(low[parent]!, low[node]!)
      }
      if (low[node] === index[node]) {
        const component: number[] = []
        let member: number
        do {
          member = stack[--stackSize]!
          onStack[member] = 0
          component.push(graph.ids[member]!)
        } while (member !== node)
        let selfLoop = false
        for (let e = depStart[node]!; e < depStart[node + 1]!; e++)
          if (depTargets[e] === node) selfLoop = true
        if (component.length > 1 || selfLoop) components.push(component)
      }
    }
  }
  if (components.length === 0) return []
  const deps = indexNodes(nodes)
  return components.map((component) => cycleWithin(component, deps)).sort((a, b) => a[0]! - b[0]!)
}

/** One concrete cycle inside a strongly connected component, starting at its smallest id. */
function cycleWithin(component: readonly number[], deps: Map<number, readonly number[]>): number[] {
  const members = new Set(component)
  const start = Math.min(...component)
  if ((deps.get(start) ?? []).includes(start)) return [start]
  // BFS from start's dependencies back to start, staying inside the component.
  const previous = new Map<number, number>()
  const queue: number[] = []
  for (const dep of deps.get(start) ?? []) {
    if (members.has(dep) && !previous.has(dep)) {
      previous.set(dep, start)
      queue.push(dep)
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const current = queue[head]!
    for (const dep of deps.get(current) ?? []) {
      if (dep === start) {
        const cycle = [current]
        for (let at = previous.get(current)!; at !== start; at = previous.get(at)!) cycle.push(at)
        cycle.push(start)
        return cycle.reverse()
      }
      if (members.has(dep) && !previous.has(dep)) {
        previous.set(dep, current)
        queue.push(dep)
      }
    }
  }
  return [...component].sort((a, b) => a - b)
}
