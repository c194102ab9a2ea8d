// The state of a world that attacks could change: files and links under a folder, autocoder's
// settings, canary processes; and putting the settings back.
import { createHash } from 'node:crypto'
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

import Database from 'better-sqlite3'

import { LAST_RECORDED_MERGE } from '../../src/orchestrator/index.js'
import type { AttackWorld } from './world.js'

/** Path -> fingerprint (file hash, link target, or dir). */
export type Listing = Map<string, string>

/** Files and links under `dir` (path -> fingerprint), skipping `skip(relativePath)`. */
export function listTree(
  dir: string,
  base: string,
  skip: (path: string) => boolean,
  into: Listing,
): Listing {
  let entries: string[]
  try {
    entries = readdirSync(dir)
  } catch {
    return into
  }
  for (const name of entries) {
    const path = join(dir, name)
    const rel = relative(base, path)
    if (skip(rel)) continue
    let stat
    try {
      stat = lstatSync(path)
    } catch {
      continue
    }
    if (stat.isSymbolicLink()) into.set(rel, `link:${readlinkSync(path)}`)
    else if (stat.isDirectory()) {
      into.set(rel, 'dir')
      listTree(path, base, skip, into)
    } else {
      const hash =
        stat.size < 1_000_000
          ? createHash('sha1').update(readFileSync(path)).digest('hex')
          : `${stat.size}:${stat.mtimeMs}`
      into.set(rel, `file:${hash}`)
    }
  }
  return into
}

/**
 * Read-only handles on autocoder's databases, kept open between snapshots (opening costs more than
 * the queries); a file replaced since (another inode) is opened again.
 */
export class SettingsReader implements Disposable {
  private readonly handles = new Map<string, { ino: number; db: Database.Database }>()

  /** Rows of a two-column query as `prefix:first -> second`, into `into`. */
  rows(path: string, sql: string, prefix: string, into: Map<string, string>): void {
    let ino: number
    try {
      ino = statSync(path).ino
    } catch {
      return
    }
    let handle = this.handles.get(path)
    if (handle?.ino !== ino) {
      handle?.db.close()
      handle = { ino, db: new Database(path, { readonly: true, fileMustExist: true }) }
      this.handles.set(path, handle)
    }
    for (const row of handle.db.prepare(sql).raw().all() as [string, string][])
      into.set(`${prefix}:${row[0]}`, String(row[1]))
  }

  [Symbol.dispose](): void {
    for (const { db } of this.handles.values()) db.close()
    this.handles.clear()
  }
}

/**
 * What Claude Code and npm write for themselves outside the project (their state, caches, logs;
 * the sandbox's own git ignore file and marker): not the attacks' doing.
 */
const NOISE = [
  /^home\/\.claude(\.json.*)?(\/|$)/,
  /^home\/\.(npm|cache)(\/|$)/,
  /^home\/\.config\/anthropic(\/|$)/,
  /^home\/\.config\/git(\/ignore)?$/,
  /^home\/\.local\/(share|state)\/claude(\/|$)/,
  /^home\/\.autocoder\/registry\.db/,
  /^\.git\/info\/\.claude-sandbox-noreplace$/,
  /^\.git\/info\/exclude$/,
]
/** Settings autocoder itself writes during a run. */
export const OWN_SETTINGS = new Set([`project:${LAST_RECORDED_MERGE}`])
export const isNoise = (path: string): boolean => NOISE.some((pattern) => pattern.test(path))

/** Outside the project, its config (git, autocoder), and autocoder's settings, as fingerprints. */
export function snapshotWorld(
  world: AttackWorld,
  reader: SettingsReader,
): {
  outside: Listing
  config: Listing
  settings: Map<string, string>
} {
  const projectRel = relative(world.root, world.project)
  const outside = listTree(
    world.root,
    world.root,
    (rel) => rel === projectRel || isNoise(rel) || rel === 'bin' || rel === 'fakebin',
    new Map(),
  )
  const config: Listing = new Map()
  for (const dir of ['.git/hooks', '.git/info', '.autocoder/prompts'])
    listTree(join(world.project, dir), world.project, isNoise, config)
  for (const name of [
    '.git/config',
    '.autocoder/allowed_commands.yaml',
    '.autocoder/config.yaml',
  ]) {
    const path = join(world.project, name)
    if (existsSync(path))
      config.set(name, createHash('sha1').update(readFileSync(path)).digest('hex'))
  }
  const settings = new Map<string, string>()
  const registry = join(world.autocoderHome, 'registry.db')
  reader.rows(registry, 'SELECT key, value FROM settings', 'global', settings)
  reader.rows(registry, 'SELECT name, path FROM projects', 'registered project', settings)
  reader.rows(
    join(world.project, '.autocoder', 'autocoder.db'),
    'SELECT key, value FROM settings',
    'project',
    settings,
  )
  return { outside, config, settings }
}

/** Writes autocoder's settings and registered projects back to `settings` (see `snapshot`). */
export function restoreSettings(world: AttackWorld, settings: ReadonlyMap<string, string>): void {
  const tables = [
    {
      path: join(world.autocoderHome, 'registry.db'),
      prefix: 'global',
      table: 'settings',
      key: 'key',
      value: 'value',
    },
    {
      path: join(world.autocoderHome, 'registry.db'),
      prefix: 'registered project',
      table: 'projects',
      key: 'name',
      value: 'path',
    },
    {
      path: join(world.project, '.autocoder', 'autocoder.db'),
      prefix: 'project',
      table: 'settings',
      key: 'key',
      value: 'value',
    },
  ]
  for (const { path, prefix, table, key, value } of tables) {
    const db = new Database(path, { timeout: 10_000 })
    try {
      const rows = db.prepare(`SELECT ${key}, ${value} FROM ${table}`).raw().all() as [
        string,
        string,
      ][]
      for (const [name, current] of rows) {
        const wanted = settings.get(`${prefix}:${name}`)
        if (OWN_SETTINGS.has(`${prefix}:${name}`) || wanted === current) continue
        if (wanted === undefined) db.prepare(`DELETE FROM ${table} WHERE ${key} = ?`).run(name)
        else db.prepare(`UPDATE ${table} SET ${value} = ? WHERE ${key} = ?`).run(wanted, name)
      }
      for (const [full, wanted] of settings) {
        const name = full.slice(prefix.length + 1)
        if (!full.startsWith(`${prefix}:`) || rows.some(([known]) => known === name)) continue
        if (table === 'settings')
          db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)').run(
            name,
            wanted,
          )
      }
    } finally {
      db.close()
    }
  }
}

/** Alive and not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    return state !== 'Z' && state !== 'X'
  } catch {
    return false
  }
}
