import type { Feature, LifecycleActor, Result } from '../core/index.js'
import { err, ok } from '../core/index.js'
import type { ProjectStore } from './project-store.js'
import type { StoreError } from './error-codes.js'

/**
 * The feature lifecycle's operations, each one transaction, whoever starts them: the feature tools
 * (`feature_skip`), the CLI (`autocoder features skip`, `autocoder answer`), the server routes
 * (`POST .../skip`, `.../unskip`, `.../answer`) and the orchestrator. Which moves are allowed, and by
 * whom, is the table in core/lifecycle.ts, which `FeatureRepo.transition` enforces.
 */

/** Who asks for a lifecycle operation: the actor kind for the table, and the id for events and notes. */
export interface LifecycleCaller {
  actor: LifecycleActor
  by: string
}

/** What `skipFeature` did. */
export interface Skipped {
  feature: Feature
  oldPriority: number
  /** True when a claim on the feature was released (an agent was working on it). */
  released: boolean
}

/**
 * Takes a feature out of the run: it becomes `skipped`, moves to the end of the queue (so if it
 * is put back it comes after the work that was not skipped), any claim on it is released and the
 * reason, when given, is kept as a note. Refused for a passing or an already skipped feature.
 */
export function skipFeature(
  store: ProjectStore,
  featureId: number,
  caller: LifecycleCaller,
  reason?: string,
): Result<Skipped, StoreError> {
  return store.atomically(() => {
    const found = store.features.find(featureId)
    if (!found.ok) return found
    const feature = found.value
    if (feature.state === 'passing')
      return err(
        'ALREADY_PASSING',
        `Feature ${featureId} is already passing, so there is nothing to skip.`,
      )
    if (feature.state === 'skipped')
      return err(
        'ALREADY_SKIPPED',
        `Feature ${featureId} is already skipped; put it back with unskip if it should run.`,
      )
    const moved = store.features.update(
      featureId,
      { priority: store.features.nextPriority() },
      caller.by,
    )
    if (!moved.ok) return moved
    const skipped = store.features.transition(featureId, 'skipped', {
      by: caller.by,
      actor: caller.actor,
      reason: reason ?? (caller.actor === 'operator' ? 'skipped by a person' : 'skipped'),
    })
    if (!skipped.ok) return skipped
    // After the move: a release then leaves the (no longer in_progress) state alone.
    const claim = store.claims.holder(featureId)
    if (claim) {
      const released = store.claims.release(featureId, null, 'skipped')
      if (!released.ok) return released
    }
    if (reason) {
      const noted = store.notes.add(featureId, caller.by, 'note', `Skipped: ${reason}`)
      if (!noted.ok) return noted
    }
    return ok({
      feature: store.features.get(featureId)!,
      oldPriority: feature.priority,
      released: claim !== undefined,
    })
  })
}

/** Puts a skipped feature back into the run as `pending` (a person's decision). */
export function unskipFeature(
  store: ProjectStore,
  featureId: number,
  caller: LifecycleCaller,
): Result<Feature, StoreError> {
  return store.features.transition(featureId, 'pending', {
    by: caller.by,
    actor: caller.actor,
    reason: 'unskipped by a person',
    from: ['skipped'],
  })
}

/**
 * A person answers the question an agent asked with `feature_ask_human`: the answer is stored as an
 * `answer` note and the feature goes back to `pending`, so the next agent that takes it sees the
 * question with its answer.
 */
export function answerFeature(
  store: ProjectStore,
  featureId: number,
  text: string,
  caller: LifecycleCaller,
): Result<Feature, StoreError> {
  const answer = text.trim()
  if (answer === '')
    return err('EMPTY_ANSWER', 'The answer is empty; write the answer to the question.')
  return store.atomically(() => {
    const found = store.features.find(featureId)
    if (!found.ok) return found
    if (found.value.state !== 'needs_human') {
      return err(
        'NOT_WAITING',
        `Feature ${featureId} is ${found.value.state}, not waiting for an answer; only features in needs_human can be answered.`,
      )
    }
    const noted = store.notes.add(featureId, caller.by, 'answer', answer)
    if (!noted.ok) return noted
    return store.features.transition(featureId, 'pending', {
      by: caller.by,
      actor: caller.actor,
      reason: 'question answered',
      from: ['needs_human'],
    })
  })
}
