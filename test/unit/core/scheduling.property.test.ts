/**
 * Property tests for the resolver: for random boards the ready and blocked sets are exactly what
 * the definitions say, the ready order follows the score ordering and does not depend on input
 * order, a dependency edit that closes a cycle is always refused, and reported cycles are real.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { findCycles } from '../../../src/core/dependency-graph.js'
import { computeScores, planFeatures } from '../../../src/core/scheduling.js'
import type { SchedFeature } from '../../../src/core/scheduling.js'
import { ProjectStore } from '../../../src/store/index.js'

/** A random DAG: node i may depend only on nodes before it; ids are a random permutation. */
const dagArb = fc
  .integer({ min: 1, max: 40 })
  .chain((n) =>
    fc.tuple(
      fc.shuffledSubarray(
        Array.from({ length: 200 }, (_, i) => i + 1),
        { minLength: n, maxLength: n },
      ),
      fc.array(
        fc.record({
          deps: fc.array(fc.nat(), { maxLength: 4 }),
          passes: fc.boolean(),
          inProgress: fc.boolean(),
          priority: fc.integer({ min: 1, max: 15 }),
          category: fc.constantFrom('a', 'b'),
          missing: fc.boolean(),
        }),
        { minLength: n, maxLength: n },
      ),
    ),
  )
  .map(([ids, nodes]) =>
    nodes.map((node, i): SchedFeature => {
      const deps = i === 0 ? [] : [...new Set(node.deps.map((d) => ids[d % i]!))]
      if (node.missing && i % 7 === 3) deps.push(1000 + i)
      return {
        id: ids[i]!,
        priority: node.priority,
        category: node.category,
        passes: node.passes,
        inProgress: node.inProgress && !node.passes,
        dependencies: deps,
      }
    }),
  )

/** A random directed graph that may contain cycles. */
const graphArb = fc.integer({ min: 1, max: 25 }).chain((n) =>
  fc
    .array(fc.array(fc.integer({ min: 1, max: n }), { maxLength: 3 }), {
      minLength: n,
      maxLength: n,
    })
    .map((adj) => adj.map((deps, i) => ({ id: i + 1, dependencies: [...new Set(deps)] }))),
)

function reaches(
  graph: ReadonlyArray<{ id: number; dependencies: readonly number[] }>,
  from: number,
  to: number,
): boolean {
  const deps = new Map(graph.map((node) => [node.id, node.dependencies]))
  const seen = new Set<number>()
  const stack = [...(deps.get(from) ?? [])]
  while (stack.length) {
    const id = stack.pop()!
    if (id === to) return true
    if (seen.has(id)) continue
    seen.add(id)
    stack.push(...(deps.get(id) ?? []))
  }
  return false
}

describe('resolver properties', () => {
  it('ready and blocked sets are exactly right for random boards', () => {
    fc.assert(
      fc.property(dagArb, (features) => {
        const passing = new Set(features.filter((f) => f.passes).map((f) => f.id))
        const plan = planFeatures(features)
        const expectedReady = features
          .filter((f) => !f.passes && !f.inProgress && f.dependencies.every((d) => passing.has(d)))
          .map((f) => f.id)
        expect([...plan.ready].sort((a, b) => a - b)).toEqual(expectedReady.sort((a, b) => a - b))
        const expectedBlocked = features.filter(
          (f) => !f.passes && f.dependencies.some((d) => !passing.has(d)),
        )
        expect(plan.blocked.map((b) => b.id)).toEqual(
          expectedBlocked.map((f) => f.id).sort((a, b) => a - b),
        )
        for (const blocked of plan.blocked) {
          const feature = features.find((f) => f.id === blocked.id)!
          expect([...blocked.waitingOn, ...blocked.missing].sort()).toEqual(
            feature.dependencies.filter((d) => !passing.has(d)).sort(),
          )
        }
        expect(plan.cycles).toEqual([])
      }),
      { numRuns: 300 },
    )
  })

  it('ready order follows (-score, priority, id) and does not depend on input order', () => {
    fc.assert(
      fc.property(dagArb, fc.integer(), (features, seed) => {
        const plan = planFeatures(features)
        const scores = computeScores(features)
        const byId = new Map(features.map((f) => [f.id, f]))
        for (let i = 1; i < plan.ready.length; i++) {
          const a = byId.get(plan.ready[i - 1]!)!
          const b = byId.get(plan.ready[i]!)!
          const key = (x: SchedFeature): [number, number, number] => [
            -(scores.get(x.id) ?? 0),
            x.priority ?? 999,
            x.id,
          ]
          const [ka, kb] = [key(a), key(b)]
          const ordered =
            ka[0] < kb[0] ||
            (ka[0] === kb[0] && (ka[1] < kb[1] || (ka[1] === kb[1] && ka[2] < kb[2])))
          expect(ordered).toBe(true)
        }
        const shuffled = [...features].sort(
          (x, y) => ((x.id * 7919 + seed) % 101) - ((y.id * 7919 + seed) % 101),
        )
        expect(planFeatures(shuffled).ready).toEqual(plan.ready)
      }),
      { numRuns: 300 },
    )
  })

  it('refuses exactly the dependency edits that would close a cycle', () => {
    fc.assert(
      fc.property(dagArb, fc.nat(), fc.nat(), (features, a, b) => {
        const store = ProjectStore.memory()
        const known = new Set(features.map((f) => f.id))
        const created = store.features.create(
          features.map((f) => ({
            category: f.category,
            name: `f${f.id}`,
            description: '',
            steps: [],
            priority: f.priority ?? 999,
            dependencies: f.dependencies.filter((d) => known.has(d)),
          })),
          { by: 'test', ids: features.map((f) => f.id), allowMissingDependencies: true },
        )
        expect(created.ok).toBe(true)
        const graph = store.features.list()
        const source = graph[a % graph.length]!
        const target = graph[b % graph.length]!
        const closes = source.id === target.id || reaches(graph, target.id, source.id)
        const result = store.features.addDependency(source.id, target.id, 'test')
        if (closes) {
          expect(result.ok).toBe(false)
          expect(store.features.get(source.id)!.dependencies).toEqual(source.dependencies)
        } else if (!source.dependencies.includes(target.id) && source.dependencies.length < 20) {
          expect(result.ok).toBe(true)
        }
        expect(findCycles(store.features.list())).toEqual([])
        store.close()
      }),
      { numRuns: 200 },
    )
  })

  it('reports real cycles, one per cyclic component, and none when there are none', () => {
    fc.assert(
      fc.property(graphArb, (graph) => {
        const cycles = findCycles(graph)
        const deps = new Map(graph.map((node) => [node.id, node.dependencies]))
        for (const cycle of cycles) {
          expect(new Set(cycle).size).toBe(cycle.length)
          cycle.forEach((id, i) => expect(deps.get(id)).toContain(cycle[(i + 1) % cycle.length]))
        }
        const cyclic = graph
          .filter((node) => reaches(graph, node.id, node.id))
          .map((node) => node.id)
        // Components: two cyclic nodes share one iff each reaches the other.
        const components = new Set(
          cyclic.map((id) =>
            cyclic
              .filter(
                (other) => other === id || (reaches(graph, id, other) && reaches(graph, other, id)),
              )
              .sort((x, y) => x - y)
              .join(','),
          ),
        )
        expect(cycles.length).toBe(components.size)
        for (const cycle of cycles) expect(cycle.every((id) => cyclic.includes(id))).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('handles a 10,000-long chain without a depth limit', () => {
    const chain = Array.from({ length: 10_000 }, (_, i) => ({
      id: i + 1,
      dependencies: i === 0 ? [] : [i],
    }))
    expect(findCycles(chain)).toEqual([])
    const store = ProjectStore.memory()
    store.features.create(
      chain.slice(0, 60).map((n) => ({
        category: 'c',
        name: `n${n.id}`,
        description: '',
        steps: [],
        dependencies: n.dependencies,
      })),
      { by: 'test' },
    )
    // The reference refused this as circular past depth 50; it is not a cycle.
    expect(
      store.features.create(
        [{ category: 'c', name: 'tail', description: '', steps: [], dependencies: [60] }],
        { by: 'test' },
      ).ok,
    ).toBe(true)
    expect(store.features.addDependency(1, 61, 'test').ok).toBe(false)
  })
})
