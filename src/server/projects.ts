import { z } from 'zod'

import type { Result } from '../core/index.js'
import type { ServerError } from './error-codes.js'

/** Project names as in the registry: letters, digits, `_` and `-`, up to 50. */
export const ProjectName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,50}$/, 'must be 1-50 letters, digits, "_" or "-"')

/** A registered project as the server's services need it. */
export interface ProjectRef {
  name: string
  /** Absolute path of the project folder. */
  dir: string
}

/**
 * Looks a project up by name (the registry plugs in here). Answers `PROJECT_NOT_FOUND` for an
 * unknown name or a missing folder.
 */
export type ProjectResolver = (
  name: string,
) => Result<ProjectRef, ServerError> | Promise<Result<ProjectRef, ServerError>>
