import { z } from 'zod'

import {
  MAX_CATEGORY_LENGTH,
  MAX_DEPENDENCIES,
  MAX_DESCRIPTION_LENGTH,
  MAX_NAME_LENGTH,
  MAX_STEP_LENGTH,
  MAX_STEPS,
} from './feature-limits.js'
import { FEATURE_STATES } from './feature-states.js'

// The limits live in feature-limits.ts (no zod) for the planner; this module re-exports them.
export * from './feature-limits.js'

export const FeatureId = z.number().int().positive()
export type FeatureId = z.infer<typeof FeatureId>

/**
 * The one feature state enum.
 * - `pending`: not started (or released without passing)
 * - `in_progress`: a coding agent holds it
 * - `passing`: verified (merged and checked)
 * - `failing`: a regression was found; it needs a coding agent again
 * - `needs_human`: an agent asked a question; waits for an answer
 * - `skipped`: taken out of the run by a person or an agent
 */
export const FeatureState = z.enum(FEATURE_STATES)
export type FeatureState = z.infer<typeof FeatureState>

export const AgentKind = z.enum(['coding', 'testing'])
export type AgentKind = z.infer<typeof AgentKind>

export const Category = z.string().trim().min(1).max(MAX_CATEGORY_LENGTH)
export const FeatureName = z.string().trim().min(1).max(MAX_NAME_LENGTH)
export const Description = z.string().max(MAX_DESCRIPTION_LENGTH)
export const Steps = z.array(z.string().max(MAX_STEP_LENGTH)).max(MAX_STEPS)
export const Dependencies = z.array(FeatureId).max(MAX_DEPENDENCIES)

export const Feature = z.object({
  id: FeatureId,
  priority: z.number().int(),
  category: z.string(),
  name: z.string(),
  description: z.string(),
  steps: z.array(z.string()),
  dependencies: z.array(FeatureId),
  state: FeatureState,
  /** Coding attempts that ended without a verified pass. */
  attempts: z.number().int().nonnegative(),
  /** Last time a testing agent or a merge check confirmed it (ms since epoch), if ever. */
  lastVerifiedAt: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
})
export type Feature = z.infer<typeof Feature>

/** Input for creating one feature (REST, CLI import, tools). */
export const NewFeature = z.object({
  category: Category,
  name: FeatureName,
  description: Description.default(''),
  steps: Steps.default([]),
  dependencies: Dependencies.default([]),
  priority: z.number().int().optional(),
})
export type NewFeature = z.input<typeof NewFeature>
export type NewFeatureParsed = z.output<typeof NewFeature>

/** A JSON file of features for `autocoder features import`. */
export const FeatureImportFile = z.object({ features: z.array(NewFeature).max(10_000) })

/** Editable fields of a feature. */
export const FeaturePatch = z
  .object({
    category: Category,
    name: FeatureName,
    description: Description,
    steps: Steps,
    priority: z.number().int(),
    dependencies: Dependencies,
  })
  .partial()
export type FeaturePatch = z.infer<typeof FeaturePatch>

/** A held claim: who works on a feature, as what, until when (unless renewed). */
export const Claim = z.object({
  featureId: FeatureId,
  agentId: z.string().min(1),
  kind: AgentKind,
  claimedAt: z.number(),
  leaseUntil: z.number(),
})
export type Claim = z.infer<typeof Claim>

export const NoteKind = z.enum(['note', 'evidence', 'question', 'answer'])
export type NoteKind = z.infer<typeof NoteKind>

/** Notes and evidence left on a feature by agents, the orchestrator and people. */
export const FeatureNote = z.object({
  id: z.number().int().positive(),
  featureId: FeatureId,
  author: z.string(),
  kind: NoteKind,
  text: z.string(),
  /** Structured data (choices of a question, merge commit, check output...), if any. */
  data: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.number(),
})
export type FeatureNote = z.infer<typeof FeatureNote>

// Board counts live in feature-states.ts (no zod) for `autocoder status`; re-exported here.
export { computeStats } from './feature-states.js'
export type { FeatureStats } from './feature-states.js'
