import { z } from 'zod'

import { QueryBoolean } from './errors.js'

/** Project names as in the registry: letters, digits, `_` and `-`, up to 50. */
export const ProjectNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,50}$/, 'must be 1-50 letters, digits, "_" or "-"')

const FolderPath = z.string().min(1).max(4096)

/** Creating a project: a new (or empty) folder inside the allowed roots, created if missing. */
export const ProjectCreateBody = z.object({
  name: ProjectNameSchema,
  path: FolderPath,
  /** Default coding agents for runs of this project (1-10). */
  defaultConcurrency: z.number().int().min(1).max(10).optional(),
})
export type ProjectCreateBody = z.infer<typeof ProjectCreateBody>

/** Registering an existing folder; `reference: true` imports a board of the Python reference. */
export const ProjectImportBody = z.object({
  name: ProjectNameSchema,
  path: FolderPath,
  reference: z.boolean().default(false),
})
export type ProjectImportBody = z.input<typeof ProjectImportBody>

export const ProjectStatsView = z.object({
  total: z.number().int(),
  passing: z.number().int(),
  inProgress: z.number().int(),
  failing: z.number().int(),
  needsHuman: z.number().int(),
  skipped: z.number().int(),
  pending: z.number().int(),
  percentage: z.number(),
})
export type ProjectStatsView = z.infer<typeof ProjectStatsView>

export const ProjectSummary = z.object({
  name: z.string(),
  path: z.string(),
  hasSpec: z.boolean(),
  defaultConcurrency: z.number().int(),
  createdAt: z.number(),
  /** null when the folder is missing or its database cannot be opened. */
  stats: ProjectStatsView.nullable(),
  /** Whether an orchestrator runs this project (here or in another process). */
  running: z.boolean(),
})
export type ProjectSummary = z.infer<typeof ProjectSummary>

export const ProjectImportResponse = z.object({
  project: ProjectSummary,
  imported: z
    .object({
      features: z.number().int(),
      passing: z.number().int(),
      needsHuman: z.number().int(),
      specCopied: z.boolean(),
      warnings: z.array(z.string()),
    })
    .nullable(),
})
export type ProjectImportResponse = z.infer<typeof ProjectImportResponse>

/** Deleting needs the project's name repeated as `confirm`; files go only with `deleteFiles=true`. */
export const ProjectDeleteQuery = z.object({
  confirm: z.string().min(1).max(50),
  deleteFiles: QueryBoolean.optional(),
})

export const ProjectDeleteResponse = z.object({ name: z.string(), filesDeleted: z.boolean() })

export const ProjectPatchBody = z.object({ defaultConcurrency: z.number().int().min(1).max(10) })
