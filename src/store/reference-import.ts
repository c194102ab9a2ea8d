import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'

import { err, ok } from '../core/index.js'
import type { Result } from '../core/index.js'
import { ProjectStore, projectDataDir } from './project-store.js'
import { findReferenceBoard, findReferenceSpec, readReferenceBoard } from './reference-source.js'
import type { ReferenceFeature } from './reference-source.js'
import type { StoreError } from './error-codes.js'

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

const REFERENCE_BY = 'import'

/**
 * Adopts a project of the Python reference: its features keep their ids, priorities, categories,
 * steps and dependencies; `passes` becomes `passing`; a pending human-input request becomes
 * `needs_human` with the question (and any answer) as notes; `in_progress` flags (which had no
 * owner) become `pending`. The app spec (found where the reference looks: `.autocoder/prompts/`,
 * `prompts/`, the project folder) is copied to `.autocoder/prompts/app_spec.txt` if missing there.
 * Values that cannot be taken as they are (dependencies that are not a list of ids, ...) are
 * warnings naming the feature.
 * Refuses to import into a board that already has features.
 */
export function importReferenceProject(dir: string): Result<ImportReport, StoreError> {
  const projectDir = resolve(dir)
  const board = readBoardOf(projectDir)
  if (!board.ok) return board
  const { source, features, warnings } = board.value

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
    const created = writeBoard(store, features)
    const spec = adoptSpec(projectDir, warnings)
    return ok({
      projectDir,
      source,
      features: created,
      passing: features.filter((f) => f.passes).length,
      needsHuman: features.filter((f) => !f.passes && f.needsHuman && !f.humanResponse).length,
      ...spec,
      suggestedName:
        basename(projectDir)
          .replace(/[^A-Za-z0-9_-]/g, '-')
          .slice(0, 50) || 'project',
      warnings,
    })
  } catch (cause) {
    return err(
      'IMPORT_FAILED',
      `Import from ${source} failed: ${(cause as Error).message}; nothing was imported.`,
      cause,
    )
  } finally {
    store.close()
  }
}

/** The reference board in `projectDir`, with a warning for each dependency on a missing id. */
function readBoardOf(
  projectDir: string,
): Result<{ source: string; features: ReferenceFeature[]; warnings: string[] }, StoreError> {
  if (!existsSync(projectDir) || !statSync(projectDir).isDirectory()) {
    return err(
      'IMPORT_FAILED',
      `${projectDir} is not a folder; pass the reference project's folder.`,
    )
  }
  const source = findReferenceBoard(projectDir)
  if (!source) {
    return err(
      'IMPORT_FAILED',
      `No reference board found in ${projectDir} (looked for .autocoder/features.db, features.db and feature_list.json).`,
    )
  }
  const read = readReferenceBoard(source)
  if (!read.ok) return read
  const { features, warnings } = read.value
  const known = new Set(features.map((f) => f.id))
  for (const feature of features) {
    const missing = feature.dependencies.filter((dep) => !known.has(dep))
    if (missing.length)
      warnings.push(
        `feature ${feature.id} depends on missing id(s) ${missing.join(', ')}; it will be reported as blocked`,
      )
  }
  return ok({ source: source.path, features, warnings })
}

/**
 * Creates the features with their reference ids, states and human-input notes in one IMMEDIATE
 * transaction; throws (rolling everything back) when the board cannot be created. Returns how many.
 */
function writeBoard(store: ProjectStore, features: readonly ReferenceFeature[]): number {
  return store.db
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
      for (const f of features) adoptState(store, f)
      return result.value.length
    })
    .immediate()
}

function adoptState(store: ProjectStore, f: ReferenceFeature): void {
  if (f.passes)
    store.features.transition(f.id, 'passing', {
      by: REFERENCE_BY,
      actor: 'operator',
      reason: 'passing in the reference project',
    })
  else if (f.needsHuman && !f.humanResponse)
    store.features.transition(f.id, 'needs_human', {
      by: REFERENCE_BY,
      actor: 'operator',
      reason: 'waiting for human input in the reference project',
    })
  if (f.humanRequest) store.notes.add(f.id, REFERENCE_BY, 'question', f.humanRequest)
  if (f.humanResponse) store.notes.add(f.id, REFERENCE_BY, 'answer', f.humanResponse)
}

/** Copies the reference's app spec to `.autocoder/prompts/app_spec.txt` unless one is there. */
function adoptSpec(
  projectDir: string,
  warnings: string[],
): Pick<ImportReport, 'specCopied' | 'specPath'> {
  const specPath = join(projectDataDir(projectDir), 'prompts', 'app_spec.txt')
  const foundSpec = findReferenceSpec(projectDir)
  const specCopied = foundSpec !== undefined && !existsSync(specPath)
  if (specCopied) {
    mkdirSync(join(projectDataDir(projectDir), 'prompts'), { recursive: true })
    copyFileSync(foundSpec, specPath)
  }
  if (foundSpec === undefined)
    warnings.push(
      'no app_spec.txt found (looked in .autocoder/prompts/, prompts/ and the project folder); add one before running the initializer again',
    )
  return { specCopied, specPath }
}
