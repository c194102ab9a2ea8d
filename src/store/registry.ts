import { join, resolve } from 'node:path'

import { systemClock, err, ok } from '../core/index.js'
import type { Clock, Result } from '../core/index.js'
import { autocoderHome } from './autocoder-home.js'
import { openDatabase } from './database.js'
import type { Db, Migration } from './database.js'
import { ensurePrivateHome, reportOnStderr } from './private-files.js'
import type { PermissionReport } from './private-files.js'
import { SettingsRepo } from './settings-repo.js'
import type { StoreError } from './error-codes.js'

export const PROJECT_NAME_PATTERN = /^[A-Za-z0-9_-]{1,50}$/

export { autocoderHome }

export interface RegisteredProject {
  name: string
  path: string
  createdAt: number
  defaultConcurrency: number
}

const registryMigrations: Migration[] = [
  {
    version: 1,
    name: 'projects and global settings',
    up: (db) => {
      db.exec(`
        CREATE TABLE projects (
          name TEXT PRIMARY KEY,
          path TEXT NOT NULL UNIQUE,
          created_at INTEGER NOT NULL,
          default_concurrency INTEGER NOT NULL DEFAULT 1 CHECK (default_concurrency BETWEEN 1 AND 10)
        );
        CREATE TABLE settings (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL,
          updated_at INTEGER NOT NULL
        );
      `)
    },
  },
]

/** The global registry of projects (name -> path) and global settings, `$AUTOCODER_HOME/registry.db`. */
export class Registry {
  readonly settings: SettingsRepo

  constructor(
    readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {
    this.settings = new SettingsRepo(db, clock)
  }

  /**
   * Opens `<home>/registry.db`. The home is made private first (0700, its files 0600): it holds
   * the API keys and the server token. Too-wide permissions are tightened and said on `report`, in
   * one line.
   */
  static open(
    home: string = autocoderHome(),
    clock: Clock = systemClock,
    report: PermissionReport = reportOnStderr,
  ): Result<Registry, StoreError> {
    const dir = ensurePrivateHome(home, report)
    if (!dir.ok) return dir
    const db = openDatabase(
      join(home, 'registry.db'),
      registryMigrations,
      'project registry',
      report,
    )
    return db.ok ? ok(new Registry(db.value, clock)) : db
  }

  list(): RegisteredProject[] {
    return (this.db.prepare('SELECT * FROM projects ORDER BY name').all() as ProjectRow[]).map(
      toProject,
    )
  }

  get(name: string): RegisteredProject | undefined {
    const row = this.db.prepare('SELECT * FROM projects WHERE name = ?').get(name) as
      ProjectRow | undefined
    return row && toProject(row)
  }

  byPath(path: string): RegisteredProject | undefined {
    const row = this.db.prepare('SELECT * FROM projects WHERE path = ?').get(resolve(path)) as
      ProjectRow | undefined
    return row && toProject(row)
  }

  add(name: string, path: string): Result<RegisteredProject, StoreError> {
    if (!PROJECT_NAME_PATTERN.test(name)) {
      return err(
        'INVALID_PROJECT_NAME',
        `Project name "${name}" is not valid; use 1-50 letters, digits, '-' or '_'.`,
      )
    }
    const absolute = resolve(path)
    if (this.get(name))
      return err(
        'PROJECT_EXISTS',
        `A project named "${name}" is already registered; pick another name or remove it first.`,
      )
    const other = this.byPath(absolute)
    if (other) return err('PROJECT_EXISTS', `${absolute} is already registered as "${other.name}".`)
    this.db
      .prepare('INSERT INTO projects (name, path, created_at) VALUES (?, ?, ?)')
      .run(name, absolute, this.clock.now())
    return ok(this.get(name)!)
  }

  remove(name: string): Result<RegisteredProject, StoreError> {
    const project = this.get(name)
    if (!project)
      return err(
        'PROJECT_NOT_FOUND',
        `No project named "${name}" is registered; see \`autocoder projects list\`.`,
      )
    this.db.prepare('DELETE FROM projects WHERE name = ?').run(name)
    return ok(project)
  }

  setDefaultConcurrency(name: string, concurrency: number): Result<RegisteredProject, StoreError> {
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 10) {
      return err(
        'INVALID_CONCURRENCY',
        `Concurrency ${concurrency} is out of range; use a whole number from 1 to 10.`,
      )
    }
    const changes = this.db
      .prepare('UPDATE projects SET default_concurrency = ? WHERE name = ?')
      .run(concurrency, name).changes
    return changes
      ? ok(this.get(name)!)
      : err('PROJECT_NOT_FOUND', `No project named "${name}" is registered.`)
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}

interface ProjectRow {
  name: string
  path: string
  created_at: number
  default_concurrency: number
}

function toProject(row: ProjectRow): RegisteredProject {
  return {
    name: row.name,
    path: row.path,
    createdAt: row.created_at,
    defaultConcurrency: row.default_concurrency,
  }
}
