import type { AgentKind, Result } from '../core/index.js'
import { err, ok } from '../core/index.js'
import { checkAssigned } from './ownership.js'
import type { ToolContext } from './tool-context.js'
import type { ToolError } from './error-codes.js'

/** Testing agents re-check passing features; everyone else claims features to code them. */
export function claimKindOf(ctx: ToolContext): AgentKind {
  return ctx.role === 'testing' ? 'testing' : 'coding'
}

/**
 * Claims one feature for the caller with a store lease. `alreadyClaimed` is true when the caller
 * held it already (the lease is renewed).
 */
export function claimForCaller(
  ctx: ToolContext,
  featureId: number,
): Result<{ alreadyClaimed: boolean }, ToolError> {
  const found = ctx.store.features.find(featureId)
  if (!found.ok) return found
  const assigned = checkAssigned(ctx, featureId)
  if (!assigned.ok) return assigned
  const kind = claimKindOf(ctx)
  const existing = ctx.store.claims.holder(featureId)
  const alreadyClaimed = existing?.agentId === ctx.callerId && existing.kind === kind
  const state = found.value.state
  if (!alreadyClaimed && kind === 'coding' && state === 'passing') {
    return err(
      'ALREADY_PASSING',
      `Feature ${featureId} is already passing; there is nothing to implement. Call feature_get_ready for work that is free.`,
    )
  }
  if (!alreadyClaimed && kind === 'coding' && (state === 'needs_human' || state === 'skipped')) {
    const why = state === 'needs_human' ? 'waits for a person to answer a question' : 'was skipped'
    return err(
      'INVALID_STATE',
      `Feature ${featureId} ${why}, so it cannot be claimed now; call feature_get_ready for work that is free.`,
    )
  }
  const claimed = ctx.store.claims.claim([featureId], ctx.callerId, kind, ctx.leaseMs)
  if (!claimed.ok) return claimed
  return ok({ alreadyClaimed })
}
