import type { FeatureTool } from './define-tool.js'
import { featureAddDependency } from './feature-add-dependency.js'
import { featureAddNote } from './feature-add-note.js'
import { featureAskHuman } from './feature-ask-human.js'
import { featureClaimAndGet } from './feature-claim-and-get.js'
import { featureClearInProgress } from './feature-clear-in-progress.js'
import { featureCreate } from './feature-create.js'
import { featureCreateBulk } from './feature-create-bulk.js'
import { featureGetBlocked } from './feature-get-blocked.js'
import { featureGetById } from './feature-get-by-id.js'
import { featureGetGraph } from './feature-get-graph.js'
import { featureGetNotes } from './feature-get-notes.js'
import { featureGetReady } from './feature-get-ready.js'
import { featureGetStats } from './feature-get-stats.js'
import { featureGetSummary } from './feature-get-summary.js'
import { featureMarkFailing } from './feature-mark-failing.js'
import { featureMarkInProgress } from './feature-mark-in-progress.js'
import { featureMarkPassing } from './feature-mark-passing.js'
import { featureRemoveDependency } from './feature-remove-dependency.js'
import { featureSetDependencies } from './feature-set-dependencies.js'
import { featureSkip } from './feature-skip.js'
import type { ToolRole } from './tool-context.js'

/** Every feature tool, in the order they are listed to a model. */
export const FEATURE_TOOLS = [
  featureGetStats,
  featureGetById,
  featureGetSummary,
  featureGetReady,
  featureGetBlocked,
  featureGetGraph,
  featureGetNotes,
  featureClaimAndGet,
  featureMarkInProgress,
  featureMarkPassing,
  featureMarkFailing,
  featureSkip,
  featureClearInProgress,
  featureAskHuman,
  featureAddNote,
  featureCreateBulk,
  featureCreate,
  featureAddDependency,
  featureRemoveDependency,
  featureSetDependencies,
] as const satisfies readonly FeatureTool[]

export const TOOL_NAMES = [
  'feature_get_stats',
  'feature_get_by_id',
  'feature_get_summary',
  'feature_get_ready',
  'feature_get_blocked',
  'feature_get_graph',
  'feature_get_notes',
  'feature_claim_and_get',
  'feature_mark_in_progress',
  'feature_mark_passing',
  'feature_mark_failing',
  'feature_skip',
  'feature_clear_in_progress',
  'feature_ask_human',
  'feature_add_note',
  'feature_create_bulk',
  'feature_create',
  'feature_add_dependency',
  'feature_remove_dependency',
  'feature_set_dependencies',
] as const
export type ToolName = (typeof TOOL_NAMES)[number]

const byName = new Map<string, FeatureTool>(FEATURE_TOOLS.map((tool) => [tool.name, tool]))

export function featureTool(name: ToolName): FeatureTool {
  const tool = byName.get(name)
  if (!tool) throw new Error(`feature tool ${name} is listed in TOOL_NAMES but not registered`)
  return tool
}

/** Read-only tools every agent may see (as in later reference versions). */
const READ_TOOLS = [
  'feature_get_stats',
  'feature_get_by_id',
  'feature_get_summary',
  'feature_get_ready',
  'feature_get_blocked',
  'feature_get_graph',
  'feature_get_notes',
] as const satisfies readonly ToolName[]

/**
 * The tools each kind of agent is given (the model sees exactly these). Like the reference's
 * exposure per agent type, plus the read-only tools for everyone and our notes and questions.
 */
export const TOOL_SETS: Readonly<Record<ToolRole, readonly ToolName[]>> = {
  initializer: [
    ...READ_TOOLS,
    'feature_create_bulk',
    'feature_create',
    'feature_add_dependency',
    'feature_remove_dependency',
    'feature_set_dependencies',
    'feature_add_note',
  ],
  coding: [
    ...READ_TOOLS,
    'feature_claim_and_get',
    'feature_mark_in_progress',
    'feature_mark_passing',
    'feature_mark_failing',
    'feature_skip',
    'feature_clear_in_progress',
    'feature_ask_human',
    'feature_add_note',
  ],
  testing: [
    ...READ_TOOLS,
    'feature_claim_and_get',
    'feature_mark_passing',
    'feature_mark_failing',
    'feature_clear_in_progress',
    'feature_ask_human',
    'feature_add_note',
  ],
  expand: [...READ_TOOLS, 'feature_create_bulk', 'feature_create', 'feature_add_dependency'],
  // Skipping needs the claim unless the chat runs as the operator (it acts for the person).
  assistant: [...READ_TOOLS, 'feature_create_bulk', 'feature_create', 'feature_skip'],
  operator: TOOL_NAMES,
}

/** Full names as the model sees them through the in-process server (`mcp__features__<name>`). */
export function qualifiedToolNames(names: readonly ToolName[]): string[] {
  return names.map((name) => `mcp__features__${name}`)
}
