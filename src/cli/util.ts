import { existsSync, readFileSync, statSync } from 'node:fs'
import { resolve } from 'node:path'

import type { Result } from '../core/index.js'
import type { Db, ProjectStore } from '../store/index.js'

// The store (SQLite, schemas) is imported only by the helpers that use it, when they run, so that
// commands which never open a database (`--help`, `plan --features`, `policy check`) start fast.

/** An error the CLI reports as one line and an exit code; thrown to unwind from any depth. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
  }
}

/** Unwraps a Result or stops the command with its message. */
export function orFail<T>(result: Result<T>, exitCode = 1): T {
  if (result.ok) return result.value
  throw new CliError(result.error.message, exitCode)
}

/**
 * Resolves `--project`: an existing directory, or the name of a registered project.
 */
export async function resolveProjectDir(project: string | undefined): Promise<string> {
  if (!project)
    throw new CliError(
      'No project given; pass --project DIR (a directory or a registered project name).',
      2,
    )
  const asPath = resolve(project)
  if (existsSync(asPath)) {
    if (!statSync(asPath).isDirectory())
      throw new CliError(`${asPath} is not a directory; pass the project's folder.`, 2)
    return asPath
  }
  if (/^[A-Za-z0-9_-]{1,50}$/.test(project)) {
    const { Registry } = await import('../store/index.js')
    const registry = Registry.open()
    if (registry.ok) {
      try {
        const registered = registry.value.get(project)
        if (registered) return registered.path
      } finally {
        registry.value.close()
      }
    }
  }
  throw new CliError(
    `Project "${project}" is neither a directory nor a registered project; check the path or run \`autocoder projects list\`.`,
    2,
  )
}

/**
 * The global settings from the registry; none when the registry cannot be opened, so a command
 * still runs on project settings and the environment.
 */
export async function globalSettings(): Promise<Record<string, unknown>> {
  const { Registry } = await import('../store/index.js')
  const registry = Registry.open()
  if (!registry.ok) return {}
  try {
    return registry.value.settings.all()
  } finally {
    registry.value.close()
  }
}

/**
 * What the registry says about a run of `projectDir`: the global settings, the project's default
 * concurrency (when it is registered) and the other projects (hidden from its agents). Nothing
 * when the registry cannot be opened.
 */
export async function registryDefaults(projectDir: string): Promise<{
  settings: Record<string, unknown>
  defaultConcurrency: number | undefined
  otherProjects: string[]
}> {
  const { Registry } = await import('../store/index.js')
  const registry = Registry.open()
  if (!registry.ok) return { settings: {}, defaultConcurrency: undefined, otherProjects: [] }
  try {
    return {
      settings: registry.value.settings.all(),
      defaultConcurrency: registry.value.byPath(projectDir)?.defaultConcurrency,
      otherProjects: registry.value
        .list()
        .map((project) => project.path)
        .filter((path) => path !== projectDir),
    }
  } finally {
    registry.value.close()
  }
}

/** Opens the project's store for the duration of `use`. */
export async function withStore<T>(
  project: string | undefined,
  use: (store: ProjectStore) => T | Promise<T>,
): Promise<T> {
  const projectDir = await resolveProjectDir(project)
  const { ProjectStore } = await import('../store/index.js')
  const store = orFail(ProjectStore.open(projectDir))
  try {
    return await use(store)
  } finally {
    store.close()
  }
}

/**
 * Opens only the project's database (created and migrated as `withStore` does, but without the
 * repos and their zod schemas) for the duration of `use`.
 */
export async function withProjectDatabase<T>(
  project: string | undefined,
  use: (db: Db) => T | Promise<T>,
): Promise<T> {
  const projectDir = await resolveProjectDir(project)
  const { closeProjectDatabase, openProjectDatabase } = await import('../store/project-database.js')
  const db = orFail(openProjectDatabase(projectDir))
  try {
    return await use(db)
  } finally {
    closeProjectDatabase(db)
  }
}

/** Parses "1,2,3" into positive integer ids. */
export function parseIdList(text: string, what = 'ids'): number[] {
  if (text.trim() === '') return []
  return text.split(',').map((part) => parseId(part.trim(), what))
}

export function parseId(text: string, what = 'id'): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new CliError(
      `"${text}" is not a valid ${what}; use positive whole numbers like 3 or 1,2,5.`,
      2,
    )
  }
  return Number(text)
}

/** Reads and parses a JSON file, with a one-line error naming the file and the position. */
export function readJsonFile(path: string): unknown {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw new CliError(`Cannot read ${path}; check that the file exists and is readable.`)
  }
  try {
    return JSON.parse(text) as unknown
  } catch (cause) {
    throw new CliError(
      `${path} is not valid JSON (${(cause as Error).message}); fix the file and try again.`,
    )
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`)
}

/** Formats the first zod issue as "path: message". */
export function describeZodError(error: {
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>
}): string {
  const issue = error.issues[0]
  if (!issue) return 'invalid input'
  const path = issue.path.map(String).join('.')
  const extra =
    error.issues.length > 1
      ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})`
      : ''
  return `${path ? `${path}: ` : ''}${issue.message}${extra}`
}
