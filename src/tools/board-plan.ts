import type { AppEvent, Feature, BlockedFeature, SchedFeature } from '../core/index.js'
import {
  computeScores,
  findBlocked,
  passingIds,
  readyInOrder,
  toSchedFeature,
} from '../core/index.js'
import type { ProjectStore } from '../store/index.js'

/** The scheduling picture of the board, as the read tools need it. */
export interface BoardPlan {
  /** Every feature in priority order (then id). */
  features: Feature[]
  byId: ReadonlyMap<number, Feature>
  /** Feature ids with a live claim (expired leases do not count: anyone may take those over). */
  claimed: ReadonlySet<number>
  /** Ready features in scheduling order. */
  ready: number[]
  /** Non-passing features with at least one dependency that does not pass, in id order. */
  blocked: BlockedFeature[]
}

/**
 * Reading 1,000 features takes milliseconds, so each store gets a cache of its features and their
 * scheduling scores. This store's own events say which features changed (they are re-read one by
 * one; scores are recomputed only when dependencies or priorities change); a commit by another
 * connection (another process) makes it re-read everything. Board writes must therefore go through
 * the store's repositories, which append those events.
 */
class BoardCache {
  byId = new Map<number, Feature>()
  features: Feature[] = []
  order: number[] = []
  scores: ReadonlyMap<number, number> = new Map<number, number>()
  readonly changed = new Set<number>()
  reloadAll = true
  graphChanged = true
  externalVersion = -1

  note(event: AppEvent): void {
    if (event.type === 'feature.created') {
      for (const id of event.featureIds) this.changed.add(id)
      this.graphChanged = true
    } else if (event.type === 'feature.updated') {
      this.changed.add(event.featureId)
      if (event.fields.includes('dependencies') || event.fields.includes('priority'))
        this.graphChanged = true
    } else if (event.type === 'feature.deleted') {
      // A deletion also edits the dependency lists of its dependents.
      this.reloadAll = true
    } else if (
      event.type === 'feature.state' ||
      event.type === 'feature.claimed' ||
      event.type === 'feature.released'
    ) {
      this.changed.add(event.featureId)
    }
  }

  refresh(store: ProjectStore): void {
    const externalVersion = store.externalVersion()
    if (this.reloadAll || externalVersion !== this.externalVersion) {
      this.byId = new Map(store.features.list().map((feature) => [feature.id, feature]))
      this.externalVersion = externalVersion
      this.reloadAll = false
      this.graphChanged = true
    } else {
      for (const id of this.changed) {
        const feature = store.features.get(id)
        if (feature) {
          this.byId.set(id, feature)
        } else {
          this.byId.delete(id)
          this.graphChanged = true
        }
      }
    }
    this.changed.clear()
    if (this.graphChanged) {
      const sorted = [...this.byId.values()].sort((a, b) => a.priority - b.priority || a.id - b.id)
      this.order = sorted.map((feature) => feature.id)
      this.scores = computeScores(sorted.map((feature) => toSchedFeature(feature)))
      this.graphChanged = false
    }
    this.features = this.order.map((id) => this.byId.get(id)!)
  }
}

const caches = new WeakMap<ProjectStore, BoardCache>()

function cacheOf(store: ProjectStore): BoardCache {
  const existing = caches.get(store)
  if (existing) return existing
  const cache = new BoardCache()
  store.events.subscribe((event) => cache.note(event))
  caches.set(store, cache)
  return cache
}

/** The board with its ready order and blocked features, as of now. */
export function boardPlan(store: ProjectStore): BoardPlan {
  const cache = cacheOf(store)
  cache.refresh(store)
  const now = store.clock.now()
  const claimed = new Set(
    store.claims
      .list()
      .filter((claim) => claim.leaseUntil > now)
      .map((claim) => claim.featureId),
  )
  // In progress without a live claim (lease ran out, not reclaimed yet): anyone may claim it now.
  const sched: SchedFeature[] = cache.features.map((feature) =>
    claimed.has(feature.id) || feature.state !== 'in_progress'
      ? toSchedFeature(feature, claimed.has(feature.id))
      : toSchedFeature({ ...feature, state: 'pending' }, false),
  )
  const passing = passingIds(sched)
  return {
    features: cache.features,
    byId: cache.byId,
    claimed,
    ready: readyInOrder(sched, cache.scores, passing),
    blocked: findBlocked(sched, passing, cache.byId),
  }
}
