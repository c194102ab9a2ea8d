import type { ProjectStore } from '../store/index.js'

/**
 * Which agent kind is calling; decides the tool set and the kind of claims it makes. `expand` and
 * `assistant` are the UI's expand-project and assistant chats.
 */
export const TOOL_ROLES = [
  'initializer',
  'coding',
  'testing',
  'expand',
  'assistant',
  'operator',
] as const
export type ToolRole = (typeof TOOL_ROLES)[number]

/** The caller id of a person (or a tool acting for one): may do anything, holds no lease. */
export const OPERATOR = 'operator'

/** Everything a tool call needs to know about its caller and the board. */
export interface ToolContext {
  store: ProjectStore
  /** The calling agent's id, or `OPERATOR`. */
  callerId: string
  role: ToolRole
  /** Lease given to claims made through tools and renewed on every call by an agent. */
  leaseMs: number
  /**
   * True for agents run by the orchestrator: `feature_mark_passing` only reports the pass on the
   * claim and the orchestrator confirms it after merge and checks. False: the tool marks it passing.
   */
  verifyPasses: boolean
  /** When set, the features this agent may claim (its batch). */
  assignedFeatureIds?: readonly number[]
}

export function isOperator(ctx: ToolContext): boolean {
  return ctx.callerId === OPERATOR
}
