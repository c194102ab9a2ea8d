import type { FeatureListResponse, FeatureView } from '@core/api/index.js'
import type { FeatureState } from '@core/feature.js'
import { blockersOf } from '@core/lifecycle.js'

import type { LiveFeature } from './live-state.js'

/** A feature as the board draws it: the stored view with live state, blockers and cost. */
export interface BoardFeature extends FeatureView {
  costUsd: number
}

export type BoardColumnId = 'pending' | 'in_progress' | 'needs_human' | 'passing' | 'failing'

export const BOARD_COLUMNS: ReadonlyArray<{ id: BoardColumnId; title: string }> = [
  { id: 'pending', title: 'Pending' },
  { id: 'in_progress', title: 'In progress' },
  { id: 'needs_human', title: 'Needs human' },
  { id: 'failing', title: 'Failing' },
  { id: 'passing', title: 'Passing' },
]

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id, index) => id === b[index])
}

/**
 * The board: every listed feature with the live state, holder and attempts from the project
 * socket laid over it, blockers recomputed from the live passing set, and its cost. A feature
 * whose result did not change keeps the same object (cards skip re-rendering).
 */
export function mergeBoard(
  list: FeatureListResponse,
  live: ReadonlyMap<number, LiveFeature> | undefined,
  previous: ReadonlyMap<number, BoardFeature> = new Map(),
): BoardFeature[] {
  const stateOf = (feature: FeatureView): FeatureState =>
    live?.get(feature.id)?.state ?? feature.state
  const passing = new Set<number>()
  for (const feature of list.features) if (stateOf(feature) === 'passing') passing.add(feature.id)
  return list.features.map((feature) => {
    const overlay = live?.get(feature.id)
    const state = stateOf(feature)
    const heldBy = overlay ? overlay.heldBy : feature.heldBy
    // Attempts only grow; some increments carry no event, so the newer of the two counts.
    const attempts = Math.max(overlay?.attempts ?? 0, feature.attempts)
    const { blocked, blockingDependencies: blocking } = blockersOf(
      { state, dependencies: feature.dependencies },
      (dep) => passing.has(dep),
    )
    const costUsd = list.costs[String(feature.id)] ?? 0
    const before = previous.get(feature.id)
    if (
      before &&
      before.name === feature.name &&
      before.updatedAt === feature.updatedAt &&
      before.state === state &&
      before.heldBy === heldBy &&
      before.attempts === attempts &&
      before.blocked === blocked &&
      before.costUsd === costUsd &&
      sameIds(before.blockingDependencies, blocking) &&
      sameIds(before.dependencies, feature.dependencies)
    )
      return before
    return { ...feature, state, heldBy, attempts, blocked, blockingDependencies: blocking, costUsd }
  })
}

/** Features per board column in priority order; skipped ones are counted apart. */
export function groupColumns(features: readonly BoardFeature[]): {
  columns: Record<BoardColumnId, BoardFeature[]>
  skipped: BoardFeature[]
} {
  const columns: Record<BoardColumnId, BoardFeature[]> = {
    pending: [],
    in_progress: [],
    needs_human: [],
    passing: [],
    failing: [],
  }
  const skipped: BoardFeature[] = []
  for (const feature of features) {
    if (feature.state === 'skipped') skipped.push(feature)
    else columns[feature.state].push(feature)
  }
  return { columns, skipped }
}

/**
 * Keeps each column's previous array when it holds the same cards in the same order, so a
 * column that did not change does not re-render.
 */
export function keepUnchanged<K extends string>(
  next: Record<K, BoardFeature[]>,
  previous: Record<K, BoardFeature[]> | undefined,
): Record<K, BoardFeature[]> {
  if (!previous) return next
  const kept = { ...next }
  for (const key of Object.keys(next) as K[]) {
    const before = previous[key]
    const after = next[key]
    if (
      before.length === after.length &&
      before.every((feature, index) => feature === after[index])
    )
      kept[key] = before
  }
  return kept
}
