import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'

import Database from 'better-sqlite3'

import { DEFAULT_PRIORITY } from '../core/feature.js'
import { err, ok } from '../core/result.js'
import type { Result } from '../core/result.js'
import { ProjectStore, projectDataDir } from './project-store.js'

/** What an import did. */
export interface ImportReport {
  projectDir: string
  source: string
  features: number
  passing: number
  needsHuman: number
  specCopied: boolean
  specPath: string
  suggestedName: string
  warnings: string[]
}

/** One feature as the reference stores it (features table or feature_list.json). */
interface ReferenceFeature {
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

const REFERENCE_BY = 'import'

function jsonArray(text: unknown): unknown[] {
  if (Array.isArray(text)) return text
  if (typeof text !== 'string' || text.trim() === '') return []
  try {
    const value = JSON.parse(text) as unknown
    return Array.isArray(value) ? value : []
  } catch {
    return []
  }
}

function readReferenceDb(path: string): Result<ReferenceFeature[]> {
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
    return ok(rows.map((row) => toReference(row, columns.has('needs_human_input'))))
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

/** A scalar column as text (objects and arrays from a hand-edited JSON file become JSON). */
function text(value: unknown, fallback: string): string {
  if (value === null || value === undefined) return fallback
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return value.toString()
  return JSON.stringify(value) ?? fallback
}

function toReference(row: Record<string, unknown>, hasHuman: boolean): ReferenceFeature {
  const ints = (value: unknown): number[] =>
    jsonArray(value).filter((v): v is number => Number.isInteger(v) && (v as number) > 0)
  return {
    id: Number(row.id),
    priority: Number.isInteger(row.priority) ? Number(row.priority) : DEFAULT_PRIORITY,
    category: text(row.category, 'uncategorized').slice(0, 100) || 'uncategorized',
    name:
      text(row.name, `Feature ${text(row.id, '?')}`).slice(0, 255) ||
      `Feature ${text(row.id, '?')}`,
    description: text(row.description, ''),
    steps: jsonArray(row.steps).map(String),
    passes: Boolean(row.passes),
    dependencies: [...new Set(ints(row.dependencies))]
      .filter((dep) => dep !== Number(row.id))
      .sort((a, b) => a - b)
      .slice(0, 20),
    needsHuman: hasHuman && Boolean(row.needs_human_input),
    humanRequest:
      hasHuman && row.human_input_request != null ? text(row.human_input_request, '') : null,
    humanResponse:
      hasHuman && row.human_input_response != null ? text(row.human_input_response, '') : null,
  }
}

function readFeatureList(path: string): Result<ReferenceFeature[]> {
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
        {
          id: record.id ?? index + 1,
          priority: record.priority ?? index + 1,
          ...record,
          steps: record.steps,
          dependencies: record.dependencies,
        },
        false,
      )
    }),
  )
}

function findSource(dir: string): { kind: 'db' | 'json'; path: string } | undefined {
  for (const candidate of [join(dir, '.autocoder', 'features.db'), join(dir, 'features.db')]) {
    if (existsSync(candidate)) return { kind: 'db', path: candidate }
  }
  const json = join(dir, 'feature_list.json')
  return existsSync(json) ? { kind: 'json', path: json } : undefined
}

/**
 * Adopts a project of the Python reference: its features keep their ids, priorities, categories,
 * steps and dependencies; `passes` becomes `passing`; a pending human-input request becomes
 * `needs_human` with the question (and any answer) as notes; `in_progress` flags (which had no
 * owner) become `pending`. The app spec is copied to `.autocoder/prompts/app_spec.txt` if missing.
 * Refuses to import into a board that already has features.
 */
export function importReferenceProject(dir: string): Result<ImportReport> {
  const projectDir = resolve(dir)
  if (!existsSync(projectDir) || !statSync(projectDir).isDirectory()) {
    return err(
      'IMPORT_FAILED',
      `${projectDir} is not a folder; pass the reference project's folder.`,
    )
  }
  const source = findSource(projectDir)
  if (!source) {
    return err(
      'IMPORT_FAILED',
      `No reference board found in ${projectDir} (looked for .autocoder/features.db, features.db and feature_list.json).`,
    )
  }
  const read = source.kind === 'db' ? readReferenceDb(source.path) : readFeatureList(source.path)
  if (!read.ok) return read
  const features = read.value
  const warnings: string[] = []
  const known = new Set(features.map((f) => f.id))
  for (const feature of features) {
    const missing = feature.dependencies.filter((dep) => !known.has(dep))
    if (missing.length)
      warnings.push(
        `feature ${feature.id} depends on missing id(s) ${missing.join(', ')}; it will be reported as blocked`,
      )
  }

  const opened = ProjectStore.open(projectDir)
  if (!opened.ok) return opened
  const store = opened.value
  try {
    if (store.features.count() > 0) {
      return err(
        'IMPORT_FAILED',
        `${projectDir} already has an autocoder board with ${store.features.count()} features; import only into a project that has none.`,
      )
    }
    const created = store.db
      .transaction(() => {
        const result = store.features.create(
          features.map((f) => ({
            category: f.category,
            name: f.name,
            description: f.description,
            steps: f.steps,
            dependencies: f.dependencies,
            priority: f.priority,
          })),
          { by: REFERENCE_BY, ids: features.map((f) => f.id), allowMissingDependencies: true },
        )
        if (!result.ok) throw new Error(result.error.message)
        for (const f of features) {
          if (f.passes)
            store.features.transition(f.id, 'passing', {
              by: REFERENCE_BY,
              reason: 'passing in the reference project',
            })
          else if (f.needsHuman && !f.humanResponse)
            store.features.transition(f.id, 'needs_human', {
              by: REFERENCE_BY,
              reason: 'waiting for human input in the reference project',
            })
          if (f.humanRequest) store.notes.add(f.id, REFERENCE_BY, 'question', f.humanRequest)
          if (f.humanResponse) store.notes.add(f.id, REFERENCE_BY, 'answer', f.humanResponse)
        }
        return result.value.length
      })
      .immediate()

    const specPath = join(projectDataDir(projectDir), 'prompts', 'app_spec.txt')
    let specCopied = false
    const legacySpec = join(projectDir, 'app_spec.txt')
    if (!existsSync(specPath) && existsSync(legacySpec)) {
      mkdirSync(join(projectDataDir(projectDir), 'prompts'), { recursive: true })
      copyFileSync(legacySpec, specPath)
      specCopied = true
    }
    if (!existsSync(specPath) && !existsSync(legacySpec))
      warnings.push('no app_spec.txt found; add one before running the initializer again')
    return ok({
      projectDir,
      source: source.path,
      features: created,
      passing: features.filter((f) => f.passes).length,
      needsHuman: features.filter((f) => !f.passes && f.needsHuman && !f.humanResponse).length,
      specCopied,
      specPath,
      suggestedName:
        basename(projectDir)
          .replace(/[^A-Za-z0-9_-]/g, '-')
          .slice(0, 50) || 'project',
      warnings,
    })
  } catch (cause) {
    return err(
      'IMPORT_FAILED',
      `Import from ${source.path} failed: ${(cause as Error).message}; nothing was imported.`,
      cause,
    )
  } finally {
    store.close()
  }
}
