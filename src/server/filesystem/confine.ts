import { constants } from 'node:fs'
import { access, realpath, stat } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'

import { err, ok } from '../../core/index.js'
import type { AppError, Result } from '../../core/index.js'
import { CREDENTIAL_HOME_PATHS } from '../../security/index.js'

/** System directories refused even when an allowed root contains them (a root of `/`). */
const SYSTEM_DIRS = [
  '/etc',
  '/var',
  '/usr',
  '/bin',
  '/sbin',
  '/boot',
  '/proc',
  '/sys',
  '/dev',
  '/root',
  '/lib',
  '/lib64',
  '/run',
  '/opt',
]

/** Names that look like secrets; never shown, never entered. */
const SENSITIVE_NAME = [/^\.env/i, /\.key$/i, /\.pem$/i, /credentials/i, /secrets/i]

export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAME.some((pattern) => pattern.test(name))
}

export function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..')
}

type FsError = AppError<
  | 'INVALID_PATH'
  | 'OUTSIDE_ROOTS'
  | 'BLOCKED_PATH'
  | 'NOT_FOUND'
  | 'NOT_A_DIRECTORY'
  | 'PERMISSION_DENIED'
>

/** Folders a person may browse and create projects in: allowed roots, checked after resolving symlinks. */
export class Confinement {
  private constructor(
    readonly home: string,
    /** Real paths of the allowed roots. */
    readonly roots: readonly string[],
    private readonly sensitive: readonly string[],
  ) {}

  /** Builds the confinement; roots that do not exist are dropped. */
  static async create(home: string, roots: readonly string[]): Promise<Confinement> {
    const realHome = await realpath(home).catch(() => resolve(home))
    const realRoots: string[] = []
    for (const root of roots) {
      const real = await realpath(root).catch(() => null)
      if (real !== null && !realRoots.includes(real)) realRoots.push(real)
    }
    // Home paths that hold credentials (the bash policy's list): never listed, never a project.
    const sensitive = CREDENTIAL_HOME_PATHS.map((dir) => join(realHome, dir))
    return new Confinement(realHome, realRoots, sensitive)
  }

  isBlocked(realPath: string): boolean {
    if (this.roots.includes(realPath)) return false
    const root = this.#rootOf(realPath)
    if (this.sensitive.some((dir) => isInside(realPath, dir))) return true
    // A system folder blocks only when a root contains it (a root of `/`), not when it contains a root (home = /root).
    if (
      SYSTEM_DIRS.some(
        (dir) => isInside(realPath, dir) && (root === undefined || !isInside(root, dir)),
      )
    )
      return true
    const rel = root === undefined ? realPath : relative(root, realPath)
    return rel.split(sep).some(isSensitiveName)
  }

  /** The innermost allowed root containing a real path. */
  #rootOf(realPath: string): string | undefined {
    return this.roots
      .filter((root) => isInside(realPath, root))
      .sort((a, b) => b.length - a.length)[0]
  }

  isAllowed(realPath: string): boolean {
    return this.roots.some((root) => isInside(realPath, root)) && !this.isBlocked(realPath)
  }

  /** `~` expansion, absolute check and normalisation; no filesystem access. */
  normalize(input: string): Result<string, FsError> {
    if (input.includes('\0')) return err('INVALID_PATH', 'Path contains a NUL byte.')
    if (input.startsWith('\\\\') || input.startsWith('//'))
      return err('INVALID_PATH', 'Network (UNC) paths are not supported.')
    const expanded =
      input === '~' ? this.home : input.startsWith('~/') ? join(this.home, input.slice(2)) : input
    if (!isAbsolute(expanded))
      return err('INVALID_PATH', `Path must be absolute or start with ~/ (got "${input}").`)
    return ok(resolve(expanded))
  }

  /**
   * The real path of an existing directory inside the allowed roots. A path outside the roots is
   * refused before touching the disk, so the answer does not reveal whether it exists.
   */
  async resolveDirectory(input: string): Promise<Result<string, FsError>> {
    const normalized = this.normalize(input)
    if (!normalized.ok) return normalized
    const lexical = normalized.value
    if (
      !this.roots.some((root) => isInside(lexical, root)) &&
      !(await this.#lexicalRootMatch(lexical))
    ) {
      return err(
        'OUTSIDE_ROOTS',
        'Path is outside the allowed folders; pick a folder under your home directory.',
      )
    }
    let real: string
    try {
      real = await realpath(lexical)
    } catch (error) {
      return fsError(error)
    }
    if (!this.roots.some((root) => isInside(real, root))) {
      return err(
        'OUTSIDE_ROOTS',
        'Path leads outside the allowed folders (through a symbolic link).',
      )
    }
    if (this.isBlocked(real))
      return err(
        'BLOCKED_PATH',
        'This folder holds credentials or system files and cannot be used.',
      )
    try {
      if (!(await stat(real)).isDirectory())
        return err('NOT_A_DIRECTORY', 'Path is not a directory.')
      await access(real, constants.R_OK | constants.X_OK)
    } catch (error) {
      return fsError(error)
    }
    return ok(real)
  }

  /** A root may be given through a symlinked spelling (e.g. `/home` linking elsewhere). */
  async #lexicalRootMatch(lexical: string): Promise<boolean> {
    let current = lexical
    for (;;) {
      const real = await realpath(current).catch(() => null)
      if (real !== null) return this.roots.some((root) => isInside(real, root))
      const parent = resolve(current, '..')
      if (parent === current) return false
      current = parent
    }
  }
}

export function fsError(error: unknown): { ok: false; error: FsError } {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return err('NOT_FOUND', 'No such folder.')
  if (code === 'ENOTDIR') return err('NOT_A_DIRECTORY', 'Path is not a directory.')
  if (code === 'EACCES' || code === 'EPERM')
    return err('PERMISSION_DENIED', 'No permission to read this folder.')
  if (code === 'ELOOP' || code === 'ENAMETOOLONG')
    return err('INVALID_PATH', 'Path cannot be resolved.')
  throw error
}
