import type { AppError, CoreErrorCode } from '../core/index.js'
import type { StoreErrorCode } from '../store/index.js'

/**
 * Codes of the expected failures of the feature tools (answered to the model as tool errors).
 * Tools also pass on store and core codes (a claim held by another agent, a dependency cycle).
 */
export const TOOL_ERROR_CODES = [
  /** The arguments do not match the tool's input schema. */
  'INVALID_INPUT',
  /** The tool threw: a bug inside autocoder, reported to the model without a stack. */
  'TOOL_FAILED',
  /** The feature is not one of the calling agent's assigned features. */
  'NOT_ASSIGNED',
  /** The caller already holds the feature in progress. */
  'ALREADY_IN_PROGRESS',
  /** The caller already reported the feature as passing in this session. */
  'ALREADY_REPORTED',
  /** A bulk-create item depends on a later item. */
  'FORWARD_REFERENCE',
] as const

export type ToolErrorCode = (typeof TOOL_ERROR_CODES)[number]
/** A tool's failure: its own codes or the store's and core's it passed on. */
export type ToolError = AppError<ToolErrorCode | StoreErrorCode | CoreErrorCode>
