import type { SchedFeature } from '../src/core/scheduling.js'

/**
 * A random feature DAG of the shapes an initializer produces: five infrastructure roots every
 * later feature depends on, then 0-3 random earlier dependencies each (about 6.5 edges per
 * feature), 30% passing. The same size and seed give the same board.
 */
export function randomBoard(size: number, seed: number): SchedFeature[] {
  let state = seed
  const random = (): number => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32
  return Array.from({ length: size }, (_, i) => {
    const deps = new Set<number>()
    if (i >= 5) for (let k = 0; k < 5; k++) deps.add(k + 1)
    const extra = Math.floor(random() * 4)
    for (let k = 0; k < extra && i > 5; k++) deps.add(1 + Math.floor(random() * i))
    return {
      id: i + 1,
      priority: i + 1,
      category: random() < 0.7 ? 'functional' : 'style',
      passes: random() < 0.3,
      inProgress: false,
      dependencies: [...deps].filter((d) => d !== i + 1),
    }
  })
}
