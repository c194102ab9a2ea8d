// Where a project's database lives and how it is opened, without the repos (and so without zod):
// ProjectStore.open builds on this, and `autocoder status` reads the database through it alone.
import { join, resolve } from 'node:path'

import type { Result } from '../core/index.js'
import { openDatabase } from './database.js'
import type { Db } from './database.js'
import { ensurePrivateDir } from './private-files.js'
import { projectMigrations } from './project-migrations.js'
import type { StoreError } from './error-codes.js'

/** Where autocoder keeps a project's runtime files. */
export function projectDataDir(projectDir: string): string {
  return join(resolve(projectDir), '.autocoder')
}

export function projectDatabasePath(projectDir: string): string {
  return join(projectDataDir(projectDir), 'autocoder.db')
}

/**
 * Opens (creating and migrating) a project's database, `<project>/.autocoder/autocoder.db` unless
 * `databasePath` is given. `.autocoder/` is private (0700) and the database files 0600: they hold
 * the agents' transcripts and the project's settings.
 */
export function openProjectDatabase(
  projectDir: string,
  databasePath?: string,
): Result<Db, StoreError> {
  if (databasePath === undefined) {
    // Silently: other code (prompts, chats, the demo) often creates the folder first, 0755.
    const dir = ensurePrivateDir(projectDataDir(projectDir), () => undefined)
    if (!dir.ok) return dir
  }
  return openDatabase(
    databasePath ?? projectDatabasePath(projectDir),
    projectMigrations,
    'project database',
  )
}

/** Closes a project's database, first folding the write-ahead log into it when nobody reads. */
export function closeProjectDatabase(db: Db): void {
  if (!db.open) return
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } finally {
    db.close()
  }
}
