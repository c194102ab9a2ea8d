import {
  chmodSync,
  closeSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  statSync,
} from 'node:fs'
import { dirname, join } from 'node:path'

// core/result.js, not core's index (which loads zod): `autocoder status` opens the database without it.
import { err, ok } from '../core/result.js'
import type { Result } from '../core/index.js'
import type { StoreError } from './error-codes.js'

/** `$AUTOCODER_HOME` and a project's `.autocoder/`: only their owner may list or enter them. */
export const PRIVATE_DIR_MODE = 0o700
/** Databases (the registry holds the API key) and the server token: owner read/write only. */
export const PRIVATE_FILE_MODE = 0o600

/** Receives one sentence each time a path's permissions were (or could not be) tightened. */
export type PermissionReport = (message: string) => void

const reported = new Set<string>()

/** Says each message once per process on stderr (the default report). */
export function reportOnStderr(message: string): void {
  if (reported.has(message)) return
  reported.add(message)
  process.stderr.write(`autocoder: ${message}\n`)
}

// Modes mean nothing to Windows ACLs; there the folder's inherited ACL decides.
const modesApply = process.platform !== 'win32'

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`
}

/** Removes group and other bits from `path` when it has any; a failure is reported, not fatal. */
function tighten(path: string, wanted: number, report: PermissionReport): void {
  if (!modesApply) return
  let mode: number
  try {
    mode = statSync(path).mode
  } catch {
    return // gone (a -wal file after a checkpoint): nothing to protect
  }
  if ((mode & 0o077) === 0) return
  try {
    chmodSync(path, wanted)
    report(`${path} was readable by others (${octal(mode)}); now ${octal(wanted)}.`)
  } catch (error) {
    report(
      `${path} is readable by others (${octal(mode)}) and could not be changed (${(error as Error).message}); run chmod ${octal(wanted).slice(1)} ${path}.`,
    )
  }
}

/**
 * Runs `work` with a report that gathers its sentences, then says them on `report` as one line:
 * opening a store whose folder and files were all too wide is one warning, not four.
 */
export function inOneReport<T>(report: PermissionReport, work: (gather: PermissionReport) => T): T {
  const sentences: string[] = []
  try {
    return work((sentence) => sentences.push(sentence))
  } finally {
    if (sentences.length > 0) report(sentences.join(' '))
  }
}

/**
 * Makes sure `dir` exists and only its owner can use it: created 0700 (missing parents with the
 * usual mode), an existing one with group or other bits is tightened to 0700 and that reported.
 */
export function ensurePrivateDir(
  dir: string,
  report: PermissionReport = reportOnStderr,
): Result<void, StoreError> {
  try {
    mkdirSync(dirname(dir), { recursive: true })
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
  } catch (cause) {
    return err(
      'DIRECTORY_FAILED',
      `Could not create ${dir}: ${(cause as Error).message}; check the path and its permissions.`,
      cause,
    )
  }
  tighten(dir, PRIVATE_DIR_MODE, report)
  return ok(undefined)
}

/** Tightens each existing file to 0600 (reporting each change); missing files are skipped. */
export function tightenPrivateFiles(
  paths: readonly string[],
  report: PermissionReport = reportOnStderr,
): void {
  for (const path of paths) tighten(path, PRIVATE_FILE_MODE, report)
}

/**
 * Makes `$AUTOCODER_HOME` private in one step (one report line): the folder 0700 and every file
 * directly in it 0600 (registry.db and its -wal/-shm hold the API keys, server-token the server's
 * token; the rest is autocoder's own too). Symbolic links are left alone.
 */
export function ensurePrivateHome(
  home: string,
  report: PermissionReport = reportOnStderr,
): Result<void, StoreError> {
  return inOneReport(report, (gather) => {
    const dir = ensurePrivateDir(home, gather)
    if (!dir.ok) return dir
    let names: string[] = []
    try {
      names = readdirSync(home)
    } catch {
      return ok(undefined) // unreadable by its owner: opening its files will say so
    }
    const files = names
      .map((name) => join(home, name))
      .filter((path) => {
        try {
          return lstatSync(path).isFile()
        } catch {
          return false
        }
      })
    tightenPrivateFiles(files, gather)
    return ok(undefined)
  })
}

/**
 * Creates `path` empty with mode 0600 when it does not exist, so whatever is written into it later
 * (SQLite creates its -wal and -shm files with the database file's mode) is never readable by
 * others, not even for a moment.
 */
export function createPrivateFile(path: string): void {
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE))
}

/** The permission bits of `path`, or null when it does not exist. */
export function fileMode(path: string): number | null {
  try {
    return statSync(path).mode & 0o777
  } catch {
    return null
  }
}
