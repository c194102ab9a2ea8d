import type { AppError } from './result.js'

/**
 * Codes of the expected failures of the core module (pure checks on features, dependencies,
 * lifecycle moves and stored settings). Each module keeps its codes in one list like this one;
 * src/server/errors.ts maps the union of all of them to HTTP statuses.
 */
export const CORE_ERROR_CODES = [
  /** A feature lists more dependencies than MAX_DEPENDENCIES. */
  'TOO_MANY_DEPENDENCIES',
  /** A feature depends on itself. */
  'SELF_DEPENDENCY',
  /** A dependency names a feature that does not exist. */
  'UNKNOWN_DEPENDENCY',
  /** The same dependency is listed twice. */
  'DUPLICATE_DEPENDENCY',
  /** The dependencies would form a cycle. */
  'DEPENDENCY_CYCLE',
  /** A stored setting has the wrong shape. */
  'SETTINGS_INVALID',
  /** The lifecycle table forbids this move of a feature by this actor. */
  'TRANSITION_FORBIDDEN',
] as const

export type CoreErrorCode = (typeof CORE_ERROR_CODES)[number]
export type CoreError = AppError<CoreErrorCode>
