import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import Database from 'better-sqlite3'

import { DEFAULT_PRIORITY, MAX_DEPENDENCIES, err, ok } from '../core/index.js'
import type { Result } from '../core/index.js'
import type { StoreError } from './error-codes.js'

/** One feature as the Python reference stores it (features table or feature_list.json). */
export interface ReferenceFeature {
  id: number
  priority: number
  category: string
  name: string
  description: string
  steps: string[]
  passes: boolean
  dependencies: number[]
  humanRequest: string | null
  humanResponse: string | null
  needsHuman: boolean
}

/** The reference's features, and a sentence for each value that could not be taken as it was. */
export interface ReferenceBoard {
  kind: 'db' | 'json'
  path: string
  features: ReferenceFeature[]
  warnings: string[]
}

/** Where the reference keeps its board: `.autocoder/features.db`, `features.db`, `feature_list.json`. */
export function findReferenceBoard(dir: string): { kind: 'db' | 'json'; path: string } | undefined {
  for (const candidate of [join(dir, '.autocoder', 'features.db'), join(dir, 'features.db')]) {
    if (existsSync(candidate)) return { kind: 'db', path: candidate }
  }
  const json = join(dir, 'feature_list.json')
  return existsSync(json) ? { kind: 'json', path: json } : undefined
}

/**
 * Where the reference keeps its app spec, in its own lookup order: `.autocoder/prompts/`,
 * `prompts/` (the layout before `.autocoder/`), then the project root.
 */
export function findReferenceSpec(dir: string): string | undefined {
  return [
    join(dir, '.autocoder', 'prompts', 'app_spec.txt'),
    join(dir, 'prompts', 'app_spec.txt'),
    join(dir, 'app_spec.txt'),
  ].find((path) => existsSync(path))
}

/** Reads the board found by `findReferenceBoard`. */
export function readReferenceBoard(source: {
  kind: 'db' | 'json'
  path: string
}): Result<ReferenceBoard, StoreError> {
  const warnings: string[] = []
  const read =
    source.kind === 'db'
      ? readReferenceDb(source.path, warnings)
      : readFeatureList(source.path, warnings)
  if (!read.ok) return read
  return ok({ ...source, features: read.value, warnings })
}

function readReferenceDb(path: string, warnings: string[]): Result<ReferenceFeature[], StoreError> {
  let db: Database.Database
  try {
    db = new Database(path, { readonly: true, fileMustExist: true })
  } catch (cause) {
    return err('IMPORT_FAILED', `Cannot open ${path}: ${String(cause)}.`, cause)
  }
  try {
    const columns = new Set(
      (db.prepare('PRAGMA table_info(features)').all() as Array<{ name: string }>).map(
        (c) => c.name,
      ),
    )
    if (!columns.has('id') || !columns.has('name')) {
      return err(
        'IMPORT_FAILED',
        `${path} has no features table of the reference's shape; is this an autocoder project?`,
      )
    }
    const rows = db.prepare('SELECT * FROM features ORDER BY id').all() as Array<
      Record<string, unknown>
    >
    const features = rows.map((row) => toReference(row, columns.has('needs_human_input'), warnings))
    const schedules = countSchedules(db)
    if (schedules > 0)
      warnings.push(
        `the reference project has ${schedules} schedule${schedules === 1 ? '' : 's'}; schedules are not imported, add them again in the Schedules panel`,
      )
    return ok(features)
  } catch (cause) {
    return err(
      'IMPORT_FAILED',
      `Cannot read ${path}: ${String(cause)}; is it a SQLite database?`,
      cause,
    )
  } finally {
    db.close()
  }
}

function countSchedules(db: Database.Database): number {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schedules'")
    .get()
  if (table === undefined) return 0
  return db.prepare('SELECT COUNT(*) FROM schedules').pluck().get() as number
}

function readFeatureList(path: string, warnings: string[]): Result<ReferenceFeature[], StoreError> {
  let items: unknown
  try {
    items = JSON.parse(readFileSync(path, 'utf8')) as unknown
  } catch (cause) {
    return err('IMPORT_FAILED', `${path} is not valid JSON (${(cause as Error).message}).`, cause)
  }
  if (!Array.isArray(items))
    return err('IMPORT_FAILED', `${path} should hold a JSON array of features.`)
  return ok(
    items.map((item, index) => {
      const record = (item && typeof item === 'object' ? item : {}) as Record<string, unknown>
      return toReference(
        { id: record.id ?? index + 1, priority: record.priority ?? index + 1, ...record },
        false,
        warnings,
      )
    }),
  )
}

/** A scalar column as text (objects and arrays from a hand-edited JSON file become JSON). */
function text(value: unknown, fallback: string): string {
  if (value === null || value === undefined) return fallback
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return value.toString()
  return JSON.stringify(value) ?? fallback
}

/** A JSON list column (text in the database, a value in feature_list.json); null means none. */
function jsonList(value: unknown): { list: unknown[] } | { invalid: string } {
  if (value === null || value === undefined) return { list: [] }
  if (Array.isArray(value)) return { list: value as unknown[] }
  if (typeof value !== 'string') return { invalid: text(value, '') }
  if (value.trim() === '') return { list: [] }
  try {
    const parsed = JSON.parse(value) as unknown
    if (parsed === null) return { list: [] }
    return Array.isArray(parsed) ? { list: parsed as unknown[] } : { invalid: value }
  } catch {
    return { invalid: value }
  }
}

function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)
}

/** The feature's dependency ids; every value dropped or changed is a warning naming the feature. */
function dependenciesOf(id: number, value: unknown, warnings: string[]): number[] {
  const list = jsonList(value)
  if ('invalid' in list) {
    warnings.push(
      `feature ${id}: dependencies ${quote(list.invalid)} are not a JSON list of feature ids; imported without dependencies, add them with \`autocoder features\` or the board`,
    )
    return []
  }
  const ids = list.list.filter((v): v is number => Number.isInteger(v) && (v as number) > 0)
  const dropped = list.list.filter((v) => !ids.includes(v as number))
  if (dropped.length > 0)
    warnings.push(
      `feature ${id}: dependencies ${dropped.map((v) => JSON.stringify(v) ?? String(v)).join(', ')} are not feature ids; dropped`,
    )
  const unique = [...new Set(ids)].filter((dep) => dep !== id).sort((a, b) => a - b)
  if (ids.includes(id)) warnings.push(`feature ${id}: depends on itself; that dependency dropped`)
  if (unique.length > MAX_DEPENDENCIES)
    warnings.push(
      `feature ${id}: has ${unique.length} dependencies, at most ${MAX_DEPENDENCIES} are kept (${unique.slice(MAX_DEPENDENCIES).join(', ')} dropped)`,
    )
  return unique.slice(0, MAX_DEPENDENCIES)
}

function stepsOf(id: number, value: unknown, warnings: string[]): string[] {
  const list = jsonList(value)
  if ('invalid' in list) {
    warnings.push(
      `feature ${id}: steps ${quote(list.invalid)} are not a JSON list; kept as one step`,
    )
    return [list.invalid]
  }
  return list.list.map((step) => text(step, ''))
}

function toReference(
  row: Record<string, unknown>,
  hasHuman: boolean,
  warnings: string[],
): ReferenceFeature {
  const id = Number(row.id)
  return {
    id,
    priority: Number.isInteger(row.priority) ? Number(row.priority) : DEFAULT_PRIORITY,
    category: text(row.category, 'uncategorized').slice(0, 100) || 'uncategorized',
    name:
      text(row.name, `Feature ${text(row.id, '?')}`).slice(0, 255) ||
      `Feature ${text(row.id, '?')}`,
    description: text(row.description, ''),
    steps: stepsOf(id, row.steps, warnings),
    passes: Boolean(row.passes),
    dependencies: dependenciesOf(id, row.dependencies, warnings),
    needsHuman: hasHuman && Boolean(row.needs_human_input),
    humanRequest:
      hasHuman && row.human_input_request != null ? text(row.human_input_request, '') : null,
    humanResponse:
      hasHuman && row.human_input_response != null ? text(row.human_input_response, '') : null,
  }
}
