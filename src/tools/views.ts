import type { Feature, FeatureNote } from '../core/index.js'
import type { HeldClaim, ProjectStore } from '../store/index.js'

/**
 * The feature as the model sees it: the reference's dict (`passes`, `in_progress`) plus our state,
 * attempts and claim holder.
 */
export function featureView(feature: Feature, claim: HeldClaim | undefined) {
  return {
    id: feature.id,
    priority: feature.priority,
    category: feature.category,
    name: feature.name,
    description: feature.description,
    steps: feature.steps,
    passes: feature.state === 'passing',
    in_progress: claim !== undefined || feature.state === 'in_progress',
    state: feature.state,
    dependencies: feature.dependencies,
    attempts: feature.attempts,
    claimed_by: claim?.agentId ?? null,
  }
}

export function noteView(note: FeatureNote) {
  return {
    id: note.id,
    kind: note.kind,
    author: note.author,
    text: note.text,
    data: note.data,
    at: note.createdAt,
  }
}

/**
 * The latest question asked about a feature and its answer (null while unanswered), so the next
 * agent that takes the feature knows what a person decided.
 */
export function questionView(store: ProjectStore, featureId: number) {
  const question = store.notes.latest(featureId, 'question')
  if (!question) return null
  const answer = store.notes.latest(featureId, 'answer')
  return {
    question: question.text,
    choices: Array.isArray(question.data?.['choices']) ? question.data['choices'] : null,
    asked_by: question.author,
    asked_at: question.createdAt,
    answer:
      answer && answer.id > question.id
        ? { text: answer.text, by: answer.author, at: answer.createdAt }
        : null,
  }
}

/** A feature with its claim and question, as returned by the tools that hand out work. */
export function fullFeatureView(store: ProjectStore, feature: Feature) {
  return {
    ...featureView(feature, store.claims.holder(feature.id)),
    human_input: questionView(store, feature.id),
  }
}
