import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** Where the spec chat writes the app spec, relative to the project. */
export const SPEC_PATH = join('.autocoder', 'prompts', 'app_spec.txt')
/** A spec in the project root wins over the stored one when agents start, so it counts too. */
export const ROOT_SPEC_PATH = 'app_spec.txt'

/** Project-relative paths of the specs that exist, the one agents use first. */
export function existingSpecs(projectDir: string): string[] {
  return [ROOT_SPEC_PATH, SPEC_PATH].filter((path) => existsSync(join(projectDir, path)))
}

/** The spec agents would use, or null. */
export function readSpec(
  projectDir: string,
): { path: string; text: string; updatedAt: number } | null {
  const path = existingSpecs(projectDir)[0]
  if (path === undefined) return null
  const full = join(projectDir, path)
  return { path, text: readFileSync(full, 'utf8'), updatedAt: statSync(full).mtimeMs }
}

function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true })
  const temporary = `${path}.${process.pid}.tmp`
  writeFileSync(temporary, text)
  renameSync(temporary, path)
}

/**
 * Writes the spec to `.autocoder/prompts/app_spec.txt`, and to a root `app_spec.txt` when one
 * exists (it would otherwise shadow the new spec). Callers ask the person before replacing one.
 * Returns the project-relative paths written.
 */
export function writeSpec(projectDir: string, text: string): string[] {
  const paths = existsSync(join(projectDir, ROOT_SPEC_PATH))
    ? [SPEC_PATH, ROOT_SPEC_PATH]
    : [SPEC_PATH]
  const content = text.endsWith('\n') ? text : `${text}\n`
  for (const path of paths) writeAtomically(join(projectDir, path), content)
  return paths
}
