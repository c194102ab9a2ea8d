import type { Feature, LifecycleActor, Result } from '../core/index.js'
import { err, ok } from '../core/index.js'
import type { HeldClaim } from '../store/index.js'
import { isOperator } from './tool-context.js'
import type { ToolContext } from './tool-context.js'
import type { ToolError } from './error-codes.js'

export interface Holding {
  feature: Feature
  /** The caller's claim; for the operator, whatever claim exists (possibly none). */
  claim: HeldClaim | undefined
}

/**
 * The feature and the caller's claim on it. Agents may change a feature's state only while they
 * hold its claim; the operator may change any feature.
 */
export function requireHolder(
  ctx: ToolContext,
  featureId: number,
  action: string,
): Result<Holding, ToolError> {
  const found = ctx.store.features.find(featureId)
  if (!found.ok) return found
  const feature = found.value
  const claim = ctx.store.claims.holder(featureId)
  if (isOperator(ctx)) return ok({ feature, claim })
  if (claim?.agentId === ctx.callerId) return ok({ feature, claim })
  if (claim) {
    return err(
      'FEATURE_CLAIMED',
      `Feature ${featureId} is claimed by agent ${claim.agentId}, not you (${ctx.callerId}), so you cannot ${action} it; leave it alone and call feature_get_ready for work that is free.`,
    )
  }
  if (feature.state === 'passing') {
    return err(
      'NOT_CLAIMED',
      `You do not hold feature ${featureId} (it is passing), so you cannot ${action} it; if you found a regression, record it with feature_add_note (kind "evidence") so a testing agent re-checks it.`,
    )
  }
  return err(
    'NOT_CLAIMED',
    `You do not hold feature ${featureId}, so you cannot ${action} it; claim it first with feature_claim_and_get, or call feature_get_ready for work that is free.`,
  )
}

/** Who the caller is for the lifecycle table: a person, or the agent holding a coding or testing claim. */
export function actorOf(ctx: ToolContext, claim: HeldClaim | undefined): LifecycleActor {
  if (isOperator(ctx)) return 'operator'
  return claim?.kind === 'testing' ? 'tester' : 'holder'
}

/** Agents with an assigned batch may claim only features of that batch. */
export function checkAssigned(ctx: ToolContext, featureId: number): Result<void, ToolError> {
  const assigned = ctx.assignedFeatureIds
  if (!assigned || isOperator(ctx) || assigned.includes(featureId)) return ok(undefined)
  return err(
    'NOT_ASSIGNED',
    `Feature ${featureId} is not one of your assigned features (${assigned.join(', ')}); work on those instead.`,
  )
}
