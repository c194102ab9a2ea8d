import { constants } from 'node:fs'
import type { Dirent } from 'node:fs'
import { access, mkdir, opendir, readdir, realpath, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'

import type { FsEntry, FsListResponse, FsValidateResponse } from '../../core/api/index.js'
import { err, ok } from '../../core/index.js'
import type { Result } from '../../core/index.js'
import type { Confinement } from './confine.js'
import { fsError, isSensitiveName } from './confine.js'
import type { ServerError } from '../error-codes.js'

/** More entries than this in one folder are cut off (the picker is for humans). */
const MAX_ENTRIES = 2000
/** Entries looked at when deciding whether a folder has sub-folders. */
const MAX_CHILD_PROBE = 200

/** The real path of a directory entry if it is a directory the picker may show, else null. */
async function visibleDirectory(
  confinement: Confinement,
  parent: string,
  entry: Dirent,
): Promise<string | null> {
  if (isSensitiveName(entry.name)) return null
  if (!entry.isDirectory() && !entry.isSymbolicLink()) return null
  const path = join(parent, entry.name)
  try {
    const real = entry.isSymbolicLink() ? await realpath(path) : path
    if (!confinement.isAllowed(real)) return null
    if (entry.isSymbolicLink() && !(await stat(real)).isDirectory()) return null
    return real
  } catch {
    return null // dangling link or unreadable: not offered
  }
}

async function hasChildren(confinement: Confinement, dir: string): Promise<boolean> {
  let seen = 0
  try {
    const handle = await opendir(dir)
    try {
      for await (const entry of handle) {
        if (++seen > MAX_CHILD_PROBE) return true
        if (await visibleDirectory(confinement, dir, entry)) return true
      }
    } finally {
      await handle.close().catch(() => undefined)
    }
  } catch {
    return false
  }
  return false
}

/** Lists the sub-folders of a folder inside the allowed roots (the folder picker). */
export async function listDirectory(
  confinement: Confinement,
  input: string | undefined,
  showHidden: boolean,
): Promise<Result<FsListResponse, ServerError>> {
  const resolved = await confinement.resolveDirectory(
    input ?? confinement.roots[0] ?? confinement.home,
  )
  if (!resolved.ok) return resolved
  const current = resolved.value
  let dirents: Dirent[]
  try {
    dirents = await readdir(current, { withFileTypes: true })
  } catch (error) {
    return fsError(error)
  }
  const entries: FsEntry[] = []
  for (const entry of dirents) {
    if (entries.length >= MAX_ENTRIES) break
    const isHidden = entry.name.startsWith('.')
    if (isHidden && !showHidden) continue
    const real = await visibleDirectory(confinement, current, entry)
    if (real === null) continue
    entries.push({
      name: entry.name,
      path: join(current, entry.name),
      isHidden,
      hasChildren: await hasChildren(confinement, real),
    })
  }
  entries.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }))
  const parent = dirname(current)
  const parentPath =
    confinement.roots.includes(current) || parent === current || !confinement.isAllowed(parent)
      ? null
      : parent
  return ok({ currentPath: current, parentPath, entries })
}

/** Creates one folder inside an existing allowed folder. */
export async function createDirectory(
  confinement: Confinement,
  parentPath: string,
  name: string,
): Promise<Result<{ path: string }, ServerError>> {
  const parent = await confinement.resolveDirectory(parentPath)
  if (!parent.ok) return parent
  const target = join(parent.value, name)
  if (!confinement.isAllowed(target))
    return err('BLOCKED_PATH', `A folder named "${name}" cannot be created here.`)
  try {
    await mkdir(target)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST')
      return err('ALREADY_EXISTS', `A file or folder named "${name}" already exists here.`)
    return fsError(error)
  }
  return ok({ path: target })
}

async function isWritable(path: string): Promise<boolean> {
  return access(path, constants.W_OK).then(
    () => true,
    () => false,
  )
}

/** Whether a project could live at `input`: an allowed writable folder, or a new one in such a folder. */
export async function validateProjectPath(
  confinement: Confinement,
  input: string,
): Promise<Result<FsValidateResponse, ServerError>> {
  const normalized = confinement.normalize(input)
  if (!normalized.ok) return normalized
  const existing = await confinement.resolveDirectory(normalized.value)
  if (existing.ok) {
    const canWrite = await isWritable(existing.value)
    return ok({
      valid: canWrite,
      exists: true,
      isDirectory: true,
      canWrite,
      message: canWrite ? 'Folder exists and is writable.' : 'Folder is not writable.',
    })
  }
  if (existing.error.code === 'NOT_A_DIRECTORY') {
    return ok({
      valid: false,
      exists: true,
      isDirectory: false,
      canWrite: false,
      message: 'Path exists but is not a folder.',
    })
  }
  if (existing.error.code !== 'NOT_FOUND') return existing
  const parent = await confinement.resolveDirectory(dirname(normalized.value))
  if (!parent.ok) {
    const message =
      parent.error.code === 'NOT_FOUND' ? 'The parent folder does not exist.' : parent.error.message
    return ok({ valid: false, exists: false, isDirectory: false, canWrite: false, message })
  }
  const target = join(parent.value, normalized.value.slice(dirname(normalized.value).length + 1))
  if (!confinement.isAllowed(target))
    return err('BLOCKED_PATH', 'This name cannot be used for a project folder.')
  const canWrite = await isWritable(parent.value)
  return ok({
    valid: canWrite,
    exists: false,
    isDirectory: false,
    canWrite,
    message: canWrite ? 'Folder will be created.' : 'The parent folder is not writable.',
  })
}
