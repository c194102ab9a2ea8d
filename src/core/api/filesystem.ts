import { z } from 'zod'

import { QueryBoolean } from './errors.js'

export const FsListQuery = z.object({
  /** Absolute path (or `~/...`); defaults to the first allowed root (home). */
  path: z.string().min(1).max(4096).optional(),
  show_hidden: QueryBoolean.optional(),
})

export const FsEntry = z.object({
  name: z.string(),
  path: z.string(),
  isHidden: z.boolean(),
  hasChildren: z.boolean(),
})
export type FsEntry = z.infer<typeof FsEntry>

export const FsListResponse = z.object({
  currentPath: z.string(),
  /** null at an allowed root or when the parent is outside the allowed roots. */
  parentPath: z.string().nullable(),
  entries: z.array(FsEntry),
})
export type FsListResponse = z.infer<typeof FsListResponse>

export const FsRootsResponse = z.object({ home: z.string(), roots: z.array(z.string()) })
export type FsRootsResponse = z.infer<typeof FsRootsResponse>

/** A single directory name: no separators, not `.`/`..`, no control characters. */
export const DirectoryName = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .refine((name) => name !== '.' && name !== '..', 'must not be "." or ".."')
  .refine((name) => !/[/\\:*?"<>|]/.test(name), 'must not contain / \\ : * ? " < > |')
  // eslint-disable-next-line no-control-regex
  .refine((name) => !/[\u0000-\u001f]/.test(name), 'must not contain control characters')

export const FsCreateDirectoryBody = z.object({
  parentPath: z.string().min(1).max(4096),
  name: DirectoryName,
})
export const FsCreateDirectoryResponse = z.object({ path: z.string() })

export const FsValidateBody = z.object({ path: z.string().min(1).max(4096) })
export const FsValidateResponse = z.object({
  /** A project may be created here: an existing writable directory, or a missing one whose parent is writable. */
  valid: z.boolean(),
  exists: z.boolean(),
  isDirectory: z.boolean(),
  canWrite: z.boolean(),
  message: z.string(),
})
export type FsValidateResponse = z.infer<typeof FsValidateResponse>
