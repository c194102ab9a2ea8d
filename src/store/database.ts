import { closeSync, existsSync, mkdirSync, openSync, readSync } from 'node:fs'
import { dirname } from 'node:path'

import Database from 'better-sqlite3'

// core/result.js, not core's index (which loads zod): `autocoder status` opens the database without it.
import { err, ok } from '../core/result.js'
import type { AppError, Result } from '../core/index.js'
import {
  createPrivateFile,
  inOneReport,
  reportOnStderr,
  tightenPrivateFiles,
} from './private-files.js'
import type { PermissionReport } from './private-files.js'
import type { StoreErrorCode } from './error-codes.js'

export type Db = Database.Database

/** A numbered schema change. Migrations run in order, each in its own transaction. */
export interface Migration {
  version: number
  name: string
  up: (db: Db) => void
}

export type OpenErrorCode = Extract<
  StoreErrorCode,
  'NOT_A_DATABASE' | 'DATABASE_TOO_NEW' | 'DATABASE_OPEN_FAILED' | 'MIGRATION_FAILED'
>

const SQLITE_MAGIC = 'SQLite format 3\u0000'

function looksLikeSqlite(path: string): boolean {
  const fd = openSync(path, 'r')
  try {
    const header = Buffer.alloc(16)
    const read = readSync(fd, header, 0, 16, 0)
    return read === 0 || header.toString('latin1') === SQLITE_MAGIC
  } finally {
    closeSync(fd)
  }
}

/**
 * Opens (creating if needed) a SQLite database in WAL mode with a busy timeout and runs the given
 * migrations. Refuses, without changing anything, a file that is not a SQLite database and a
 * database written by a newer autocoder. The database and its -wal/-shm files are only for their
 * owner (0600): a new one is created so, an existing one wider than that is tightened (one line on
 * `report`).
 */
export function openDatabase(
  path: string,
  migrations: readonly Migration[],
  what: string,
  report: PermissionReport = reportOnStderr,
): Result<Db, AppError<OpenErrorCode>> {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0)
  if (path !== ':memory:') {
    if (existsSync(path) && !looksLikeSqlite(path)) {
      return err(
        'NOT_A_DATABASE',
        `${path} is not a SQLite database, so it cannot be the ${what}; move the file away (autocoder creates a new database) or point to the right project.`,
      )
    }
  }
  let db: Db
  try {
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true })
      createPrivateFile(path)
      inOneReport(report, (gather) =>
        tightenPrivateFiles([path, `${path}-wal`, `${path}-shm`], gather),
      )
    }
    db = new Database(path)
    db.pragma('busy_timeout = 30000')
    db.pragma('foreign_keys = ON')
  } catch (cause) {
    return err(
      'DATABASE_OPEN_FAILED',
      `Could not open the ${what} at ${path}: ${String(cause)}; check the path and its permissions.`,
      cause,
    )
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number
    if (version > latest) {
      db.close()
      return err(
        'DATABASE_TOO_NEW',
        `The ${what} at ${path} has schema version ${version}, newer than this autocoder understands (${latest}); upgrade autocoder to open it.`,
      )
    }
    if (path !== ':memory:') db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (migration.version <= version) continue
      db.transaction(() => {
        // Re-read inside the write lock: another process may have migrated meanwhile.
        const current = db.pragma('user_version', { simple: true }) as number
        if (migration.version <= current) return
        migration.up(db)
        db.pragma(`user_version = ${migration.version}`)
      }).immediate()
    }
  } catch (cause) {
    db.close()
    const message = String(cause).includes('file is not a database')
      ? `${path} is not a SQLite database, so it cannot be the ${what}; move the file away or point to the right project.`
      : `Could not prepare the ${what} at ${path}: ${String(cause)}.`
    return err(
      String(cause).includes('file is not a database') ? 'NOT_A_DATABASE' : 'MIGRATION_FAILED',
      message,
      cause,
    )
  }
  return ok(db)
}

/** Carries an error result out of a transaction so the transaction rolls back. */
class Rollback extends Error {
  constructor(readonly result: { ok: false; error: AppError }) {
    super(result.error.message)
  }
}

/**
 * Runs `fn` in an IMMEDIATE transaction (a savepoint when nested) that commits only if `fn` returns
 * an ok result: an error result rolls back every write `fn` made, so multi-row changes are all or
 * nothing.
 */
export function transact<R extends Result<unknown, AppError>>(db: Db, fn: () => R): R {
  try {
    return db
      .transaction((): R => {
        const result = fn()
        if (!result.ok) throw new Rollback(result)
        return result
      })
      .immediate()
  } catch (error) {
    // The result fn returned, carried out of the transaction unchanged.
    if (error instanceof Rollback) return error.result as R
    throw error
  }
}
