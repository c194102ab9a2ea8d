import { resolve } from 'node:path'

import { systemClock, ok } from '../core/index.js'
import type { AppError, Clock, Result } from '../core/index.js'
import { ClaimRepo } from './claim-repo.js'
import { openDatabase, transact } from './database.js'
import type { Db } from './database.js'
import { EventLog } from './event-log.js'
import type { SubscriberErrorReport } from './event-log.js'
import { FeatureRepo } from './feature-repo.js'
import { LockRepo } from './lock-repo.js'
import { NoteRepo } from './note-repo.js'
import { closeProjectDatabase, openProjectDatabase } from './project-database.js'
import { projectMigrations } from './project-migrations.js'
import { SessionRepo } from './session-repo.js'
import { SettingsRepo } from './settings-repo.js'
import type { StoreError } from './error-codes.js'

export { projectDataDir, projectDatabasePath } from './project-database.js'

/** Everything stored about one project, over one SQLite connection. */
export class ProjectStore {
  readonly events: EventLog
  readonly features: FeatureRepo
  readonly claims: ClaimRepo
  readonly notes: NoteRepo
  readonly sessions: SessionRepo
  readonly locks: LockRepo
  readonly settings: SettingsRepo

  constructor(
    readonly db: Db,
    readonly projectDir: string,
    readonly clock: Clock = systemClock,
    reportSubscriberError?: SubscriberErrorReport,
  ) {
    this.events = new EventLog(db, clock, reportSubscriberError)
    this.features = new FeatureRepo(db, clock, this.events)
    this.claims = new ClaimRepo(db, clock, this.events)
    this.notes = new NoteRepo(db, clock, this.events)
    this.sessions = new SessionRepo(db, clock)
    this.locks = new LockRepo(db, clock)
    this.settings = new SettingsRepo(db, clock)
  }

  /**
   * Opens (creating and migrating) `<project>/.autocoder/autocoder.db`. `.autocoder/` is private
   * (0700) and the database files 0600: they hold the agents' transcripts and the project's settings.
   */
  static open(
    projectDir: string,
    options: {
      clock?: Clock
      databasePath?: string
      /** Where a throwing event subscriber is reported (default: stderr). */
      reportSubscriberError?: SubscriberErrorReport
    } = {},
  ): Result<ProjectStore, StoreError> {
    const db = openProjectDatabase(projectDir, options.databasePath)
    if (!db.ok) return db
    return ok(
      new ProjectStore(db.value, resolve(projectDir), options.clock, options.reportSubscriberError),
    )
  }

  /** An in-memory store (unit tests). */
  static memory(
    clock: Clock = systemClock,
    reportSubscriberError?: SubscriberErrorReport,
  ): ProjectStore {
    const db = openDatabase(':memory:', projectMigrations, 'project database')
    if (!db.ok) throw new Error(db.error.message)
    return new ProjectStore(db.value, '/nonexistent', clock, reportSubscriberError)
  }

  /**
   * A number that changes whenever another connection (another process, or another store on the
   * same file) commits a change; changes made through this store do not move it. Lets callers keep
   * caches: together with this store's own events it tells when the board may have changed.
   */
  externalVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number
  }

  /**
   * Runs several store calls as one transaction: an error result from `fn` rolls back all of their
   * writes. (Events they appended are rolled back too, though subscribers have already seen them.)
   */
  atomically<R extends Result<unknown, AppError>>(fn: () => R): R {
    return transact(this.db, fn)
  }

  close(): void {
    closeProjectDatabase(this.db)
  }

  [Symbol.dispose](): void {
    this.close()
  }
}
