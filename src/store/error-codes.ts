import type { AppError, CoreErrorCode } from '../core/index.js'

/**
 * Codes of the expected failures of the store module. Store calls also pass on core codes (a
 * dependency check, a duplicate dependency or a cycle, a lifecycle move), so `StoreError` covers
 * both.
 */
export const STORE_ERROR_CODES = [
  /** The file is not a SQLite database. */
  'NOT_A_DATABASE',
  /** The database was written by a newer autocoder. */
  'DATABASE_TOO_NEW',
  /** SQLite could not open or create the database file (path, permissions, disk). */
  'DATABASE_OPEN_FAILED',
  /** A schema migration failed. */
  'MIGRATION_FAILED',
  /** A directory for private files could not be created. */
  'DIRECTORY_FAILED',
  /** The server token file could not be written. */
  'TOKEN_FILE_FAILED',
  /** The server token file exists but does not hold a token. */
  'TOKEN_FILE_INVALID',
  /** No feature has this id. */
  'FEATURE_NOT_FOUND',
  /** A dependency id of a change names no feature. */
  'DEPENDENCY_NOT_FOUND',
  /** A dependency of a bulk create points to a later (or its own) item. */
  'INVALID_DEPENDENCY_INDEX',
  /** An imported feature id is used twice. */
  'DUPLICATE_FEATURE_ID',
  /** The feature is not in a state that allows this change. */
  'INVALID_STATE',
  /** Skip of a feature that already passes. */
  'ALREADY_PASSING',
  /** Skip of a feature that is already skipped. */
  'ALREADY_SKIPPED',
  /** An answer with no text. */
  'EMPTY_ANSWER',
  /** An answer to a feature that is not waiting for one. */
  'NOT_WAITING',
  /** Another agent holds the feature. */
  'FEATURE_CLAIMED',
  /** Nobody holds the feature. */
  'NOT_CLAIMED',
  /** Another orchestrator runs the project. */
  'PROJECT_LOCKED',
  /** No registered project has this name. */
  'PROJECT_NOT_FOUND',
  /** A project with this name or path is already registered. */
  'PROJECT_EXISTS',
  /** A project name that does not match PROJECT_NAME_PATTERN. */
  'INVALID_PROJECT_NAME',
  /** A default concurrency out of range. */
  'INVALID_CONCURRENCY',
  /** No schedule has this id. */
  'SCHEDULE_NOT_FOUND',
  /** The project has as many schedules as allowed. */
  'SCHEDULE_LIMIT',
  /** A reference (Python autocoder) project could not be read. */
  'IMPORT_FAILED',
] as const

export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number]
/** A failure of a store call: its own codes or a core check it ran. */
export type StoreError = AppError<StoreErrorCode | CoreErrorCode>
