import type { Feature } from '../core/feature.js'
import { planFeatures, toSchedFeature } from '../core/scheduling.js'
import type { Plan } from '../core/scheduling.js'
import type { ProjectStore } from '../store/index.js'

export interface BoardPlan {
  features: Feature[]
  byId: Map<number, Feature>
  /** Feature ids with a live claim (expired leases do not count: anyone may take those over). */
  claimed: Set<number>
  plan: Plan
}

/** The scheduling picture of the board: ready order, blocked features, cycles. */
export function boardPlan(store: ProjectStore): BoardPlan {
  const features = store.features.list()
  const now = store.clock.now()
  const claimed = new Set(store.claims.list().filter((claim) => claim.leaseUntil > now).map((claim) => claim.featureId))
  // In progress without a live claim (lease ran out, not reclaimed yet): anyone may claim it now.
  const sched = features.map((feature) =>
    claimed.has(feature.id) || feature.state !== 'in_progress'
      ? toSchedFeature(feature, claimed.has(feature.id))
      : toSchedFeature({ ...feature, state: 'pending' }, false),
  )
  const plan = planFeatures(sched)
  return { features, byId: new Map(features.map((feature) => [feature.id, feature])), claimed, plan }
}
