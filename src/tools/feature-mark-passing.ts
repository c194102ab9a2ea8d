import type { Feature, Result } from '../core/index.js'
import { err, ok } from '../core/index.js'
import type { HeldClaim } from '../store/index.js'
import { defineTool } from './define-tool.js'
import { actorOf, requireHolder } from './ownership.js'
import { featureIdParam } from './params.js'
import { isOperator } from './tool-context.js'
import type { ToolContext } from './tool-context.js'
import type { ToolError } from './error-codes.js'

function alreadyPassing(featureId: number): Result<never, ToolError> {
  return err(
    'ALREADY_PASSING',
    `Feature ${featureId} is already passing; nothing to do. Move on to your next feature.`,
  )
}

/** Sets the feature passing (verified now) and drops any claim on it. */
function markPassed(
  ctx: ToolContext,
  feature: Feature,
  claim: HeldClaim | undefined,
): Result<object, ToolError> {
  const moved = ctx.store.features.transition(feature.id, 'passing', {
    by: ctx.callerId,
    actor: actorOf(ctx, claim),
    reason: 'marked passing',
    extra: 'verified',
  })
  if (!moved.ok) return moved
  if (claim) {
    const released = ctx.store.claims.release(
      feature.id,
      isOperator(ctx) ? null : ctx.callerId,
      'marked passing',
    )
    if (!released.ok) return released
  }
  return ok({ success: true, feature_id: feature.id, name: feature.name, state: 'passing' })
}

/** Records the pass on the claim; the orchestrator confirms it after merge and checks. */
function reportPassed(
  ctx: ToolContext,
  feature: Feature,
  claim: HeldClaim,
): Result<object, ToolError> {
  if (claim.reported === 'passing') {
    return err(
      'ALREADY_REPORTED',
      `You already reported feature ${feature.id} as passing; it is confirmed after your work merges and the checks pass. Make sure everything is committed, then continue with your next feature or end your session.`,
    )
  }
  const reported = ctx.store.claims.report(feature.id, ctx.callerId, 'passing')
  if (!reported.ok) return reported
  return ok({
    success: true,
    feature_id: feature.id,
    name: feature.name,
    state: feature.state,
    verified: false,
    message: `Reported feature ${feature.id} as passing. It becomes passing once your branch merges cleanly and the project's checks pass; commit all your work now.`,
  })
}

export const featureMarkPassing = defineTool({
  name: 'feature_mark_passing',
  description:
    'Report that a feature you hold works: call it only after you verified every test step end to end and committed your work. When an orchestrator runs you, the pass is confirmed after your work merges and the checks pass. Testing agents call it to confirm (or restore) a feature they re-checked.',
  input: { feature_id: featureIdParam },
  readOnly: false,
  run: ({ feature_id }, ctx) =>
    ctx.store.atomically(() => {
      const held = requireHolder(ctx, feature_id, 'mark passing')
      if (!held.ok) return held
      const { feature, claim } = held.value
      if (isOperator(ctx) || !claim) {
        if (feature.state === 'passing' && claim?.kind !== 'testing')
          return alreadyPassing(feature_id)
        return markPassed(ctx, feature, claim)
      }
      if (claim.kind === 'testing') {
        // A tester confirming a passing feature, or restoring one it marked failing and fixed.
        if (feature.state === 'passing' || !ctx.verifyPasses) return markPassed(ctx, feature, claim)
        return reportPassed(ctx, feature, claim)
      }
      if (feature.state === 'passing') return alreadyPassing(feature_id)
      return ctx.verifyPasses ? reportPassed(ctx, feature, claim) : markPassed(ctx, feature, claim)
    }),
})
