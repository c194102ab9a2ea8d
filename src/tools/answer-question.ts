import type { Feature } from '../core/feature.js'
import { err } from '../core/result.js'
import type { Result } from '../core/result.js'
import type { ProjectStore } from '../store/index.js'

/**
 * A person answers the question an agent asked with `feature_ask_human`: the answer is stored as an
 * `answer` note and the feature goes back to `pending`, so the next agent that takes it sees the
 * question with its answer.
 */
export function answerQuestion(
  store: ProjectStore,
  featureId: number,
  text: string,
  by: string,
): Result<Feature> {
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
    const noted = store.notes.add(featureId, by, 'answer', answer)
    if (!noted.ok) return noted
    return store.features.transition(featureId, 'pending', {
      by,
      reason: 'question answered',
      from: ['needs_human'],
    })
  })
}
