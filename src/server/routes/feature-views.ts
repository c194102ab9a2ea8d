import type { FeatureGraph, FeatureView } from '../../core/api/index.js'
import { blockersOf, computeStats, viewGraphStatus } from '../../core/index.js'
import type { Feature, FeatureStats } from '../../core/index.js'
import type { ProjectStore } from '../../store/index.js'

interface BoardViews {
  /** Last event id and `data_version` when read: every board change moves one of them. */
  key: string
  views: readonly FeatureView[]
  stats: FeatureStats
  /** USD per feature id that has spent any. */
  costs: Record<string, number>
}

const boards = new WeakMap<ProjectStore, BoardViews>()

/**
 * Every feature's view in priority order, and the stats. Cached per store until the next event of
 * this process (every feature, dependency and claim change appends one) or a commit by another
 * connection, so polling clients and big boards cost a lookup instead of a read.
 */
export function boardViews(store: ProjectStore): BoardViews {
  const key = `${store.events.lastId()}:${store.externalVersion()}`
  const cached = boards.get(store)
  if (cached?.key === key) return cached
  const all = store.features.list()
  const context = boardContext(store, all)
  const board = {
    key,
    views: all.map((feature) => featureView(feature, context)),
    stats: computeStats(all.map((feature) => feature.state)),
    costs: Object.fromEntries(store.sessions.costsByFeature()),
  }
  boards.set(store, board)
  return board
}

/** Board context shared by the views of many features: which ids pass and who holds what. */
export interface BoardContext {
  passing: ReadonlySet<number>
  holders: ReadonlyMap<number, string>
}

export function boardContext(store: ProjectStore, features: readonly Feature[]): BoardContext {
  return {
    passing: new Set(
      features.filter((feature) => feature.state === 'passing').map((feature) => feature.id),
    ),
    holders: new Map(store.claims.list().map((claim) => [claim.featureId, claim.agentId])),
  }
}

export function featureView(feature: Feature, context: BoardContext): FeatureView {
  return {
    ...feature,
    ...blockersOf(feature, (dep) => context.passing.has(dep)),
    heldBy: context.holders.get(feature.id) ?? null,
  }
}

/** One feature's view, reading the board it needs. */
export function singleView(store: ProjectStore, feature: Feature): FeatureView {
  const passing = new Set<number>()
  for (const dep of feature.dependencies)
    if (store.features.get(dep)?.state === 'passing') passing.add(dep)
  const holder = store.claims.holder(feature.id)
  return featureView(feature, {
    passing,
    holders: new Map(holder ? [[feature.id, holder.agentId]] : []),
  })
}

/** Nodes with their status and edges dependency -> dependent. */
export function featureGraph(views: readonly FeatureView[]): FeatureGraph {
  return {
    nodes: views.map((view) => ({
      id: view.id,
      name: view.name,
      category: view.category,
      state: view.state,
      status: viewGraphStatus(view),
      priority: view.priority,
      dependencies: view.dependencies,
    })),
    edges: views.flatMap((view) =>
      view.dependencies.map((dep) => ({ source: dep, target: view.id })),
    ),
  }
}
