/**
 * A database written by an older autocoder opens, upgrades to the latest schema and keeps every
 * row. The fixtures are frozen SQL text of each older schema version with rows in every table; a
 * second test checks they still match what the shipped migrations build (a shipped migration must
 * never be edited).
 */
import { chmodSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'

import type { Feature } from '../../../src/core/index.js'
import { ChatRepo, openDatabase, ProjectStore } from '../../../src/store/index.js'
import { importReferenceProject } from '../../../src/store/reference-import.js'
import { projectMigrations } from '../../../src/store/project-migrations.js'
import { FakeClock } from '../../fakes/fake-clock.js'
import { tempDir } from '../../helpers/tmp.js'

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/store/${name}`, import.meta.url), 'utf8')

/** The SQL that builds a database at each older schema version. */
const OLD_VERSIONS: Array<[number, string[]]> = [
  [1, ['project-v1.sql']],
  [2, ['project-v1.sql', 'project-v2.sql']],
]
const LATEST = Math.max(...projectMigrations.map((m) => m.version))

function build(path: string, files: readonly string[]): void {
  const db = new Database(path)
  for (const file of files) db.exec(fixture(file))
  db.close()
  chmodSync(path, 0o600) // as autocoder makes it, so opening it says nothing about permissions
}

type Snapshot = Record<string, unknown[]>

function snapshot(path: string): Snapshot {
  const db = new Database(path, { readonly: true })
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[]
    return Object.fromEntries(
      tables.map((table) => [table, db.prepare(`SELECT * FROM "${table}" ORDER BY 1, 2`).all()]),
    )
  } finally {
    db.close()
  }
}

function schemaOf(db: Database.Database): string[] {
  return (
    db
      .prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[]
  )
    .map((sql) => sql.replace(/\s+/g, ' ').trim())
    .sort()
}

describe('project database upgrades', () => {
  it.each(OLD_VERSIONS)('upgrades a version %i database keeping every row', (version, files) => {
    using dir = tempDir()
    const path = join(dir.path, 'autocoder.db')
    build(path, files)
    const before = snapshot(path)
    expect(Object.values(before).flat().length).toBeGreaterThan(20)

    const opened = ProjectStore.open(dir.path, { databasePath: path, clock: new FakeClock() })
    if (!opened.ok) throw new Error(opened.error.message)
    using store = opened.value
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST)

    const after = snapshot(path)
    for (const [table, rows] of Object.entries(before)) expect(after[table], table).toEqual(rows)
    expect(Object.keys(after)).toContain('schedules')

    // The repos read the old rows as they were written.
    expect(store.features.list().map((f) => [f.id, f.state, f.dependencies])).toEqual([
      [1, 'passing', []],
      [2, 'in_progress', [1]],
      [3, 'failing', [2]],
      [4, 'needs_human', [1]],
      [5, 'skipped', []],
      [6, 'pending', [5, 42]],
    ])
    expect(store.features.get(1)?.steps).toEqual(['start', 'query'])
    expect(store.claims.list().map((c) => [c.featureId, c.agentId, c.kind, c.reported])).toEqual([
      [1, 'testing-1', 'testing', null],
      [2, 'coding-1', 'coding', 'passing'],
    ])
    expect(store.notes.latest(4, 'question')?.data).toEqual({ choices: ['Stripe', 'Adyen'] })
    expect(store.sessions.get('s-1')?.featureIds).toEqual([2])
    expect(store.settings.all()).toEqual({ concurrency: 2, check_command: 'npm test', yolo: false })
    expect(store.events.after(0).map((e) => e.type)).toEqual(['feature.created', 'feature.claimed'])
    expect(store.locks.current()?.owner).toBe('cli-1')
    if (version >= 2) {
      const chats = new ChatRepo(store.db, store.clock)
      expect(chats.messages(1).map((m) => m.content)).toEqual([
        'A todo app with tags',
        'Which database?',
      ])
    }
  })

  it.each(OLD_VERSIONS)(
    'the version %i fixture is what the shipped migrations build',
    (n, files) => {
      const fromFixture = new Database(':memory:')
      for (const file of files) fromFixture.exec(fixture(file))
      const fromMigrations = new Database(':memory:')
      for (const migration of projectMigrations.filter((m) => m.version <= n))
        migration.up(fromMigrations)
      expect(schemaOf(fromFixture)).toEqual(schemaOf(fromMigrations))
      expect(fromFixture.pragma('user_version', { simple: true })).toBe(n)
    },
  )

  it('creates an empty database at the latest version', () => {
    using dir = tempDir()
    const path = join(dir.path, 'autocoder.db')
    const db = openDatabase(path, projectMigrations, 'project database')
    if (!db.ok) throw new Error(db.error.message)
    expect(db.value.pragma('user_version', { simple: true })).toBe(LATEST)
    db.value.close()
  })

  it('refuses a database from a newer autocoder and changes nothing', () => {
    using dir = tempDir()
    const path = join(dir.path, 'autocoder.db')
    build(path, ['project-v1.sql', 'project-v2.sql'])
    new Database(path).pragma(`user_version = ${LATEST + 1}`)
    const before = snapshot(path)
    const opened = openDatabase(path, projectMigrations, 'project database')
    expect(opened.ok).toBe(false)
    if (opened.ok) return
    expect(opened.error.code).toBe('DATABASE_TOO_NEW')
    expect(opened.error.message).toContain('upgrade autocoder')
    expect(snapshot(path)).toEqual(before)
  })

  it("refuses the Python reference's features.db as a project database and changes nothing", () => {
    using dir = tempDir()
    const path = join(dir.path, 'autocoder.db')
    build(path, ['python-reference.sql'])
    const before = snapshot(path)
    const opened = openDatabase(path, projectMigrations, 'project database')
    expect(opened.ok).toBe(false)
    if (opened.ok) return
    expect(opened.error.code).toBe('MIGRATION_FAILED')
    expect(snapshot(path)).toEqual(before)
    const db = new Database(path, { readonly: true })
    expect(db.pragma('user_version', { simple: true })).toBe(0)
    db.close()
  })
})

describe('a database made by the Python reference', () => {
  it('is imported keeping every feature row, column by column', () => {
    using dir = tempDir()
    build(join(dir.path, 'features.db'), ['python-reference.sql'])
    const reference = new Database(join(dir.path, 'features.db'), { readonly: true })
    const rows = reference.prepare('SELECT * FROM features ORDER BY id').all() as Array<{
      id: number
      priority: number
      category: string
      name: string
      description: string
      steps: string
    }>
    reference.close()

    const report = importReferenceProject(dir.path)
    if (!report.ok) throw new Error(report.error.message)
    expect(report.value.warnings).toContainEqual(
      'the reference project has 1 schedule; schedules are not imported, add them again in the Schedules panel',
    )
    const opened = ProjectStore.open(dir.path)
    if (!opened.ok) throw new Error(opened.error.message)
    using store = opened.value
    const pick = (f: (typeof rows)[number] | Feature): unknown[] => [
      f.id,
      f.priority,
      f.category,
      f.name,
      f.description,
      typeof f.steps === 'string' ? JSON.parse(f.steps) : f.steps,
    ]
    expect(store.features.list().map(pick)).toEqual(rows.map(pick))
    expect(store.notes.latest(5, 'answer')?.text).toBe('smtp.example.test')
  })
})
