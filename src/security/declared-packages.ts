import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const

/**
 * Package names a directory's package.json declares, plus the bin names those packages install
 * (`typescript` -> `tsc`), so `npx tsc` works when typescript is declared. A missing or broken
 * package.json declares nothing: the agent may be in the middle of writing it.
 */
export function declaredPackages(dir: string): string[] {
  const manifest = readJson(join(dir, 'package.json'))
  if (!manifest) return []
  const names = new Set<string>()
  for (const field of DEPENDENCY_FIELDS) {
    const deps = manifest[field]
    if (deps && typeof deps === 'object') for (const name of Object.keys(deps)) names.add(name)
  }
  const out = new Set(names)
  for (const name of names) for (const bin of binNames(dir, name)) out.add(bin)
  return [...out]
}

function binNames(dir: string, name: string): string[] {
  const manifest = readJson(join(dir, 'node_modules', name, 'package.json'))
  const bin = manifest?.['bin']
  if (typeof bin === 'string') return [name.split('/').pop() ?? name]
  if (bin && typeof bin === 'object') return Object.keys(bin)
  return []
}

function readJson(file: string): Record<string, unknown> | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return undefined // absent: nothing declared
  }
  try {
    const value: unknown = JSON.parse(text)
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined // half-written by the agent: nothing declared until it parses
  }
}
