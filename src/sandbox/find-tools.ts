import { accessSync, constants } from 'node:fs'
import { join } from 'node:path'

import type { SandboxTools } from './pod.js'

/**
 * The first executable `program` in the absolute directories of `searchPath` (a relative or empty
 * entry is skipped: it would depend on the current directory), or null.
 */
export function findProgram(program: string, searchPath: string): string | null {
  for (const dir of searchPath.split(':')) {
    if (!dir.startsWith('/')) continue
    const candidate = join(dir, program)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not in this directory
    }
  }
  return null
}

const TOOLS = ['bwrap', 'socat', 'nsenter', 'setpriv', 'unshare', 'setsid'] as const

/** System folders first: a program of the same name earlier on PATH is not what we trust. */
export const DEFAULT_TOOL_PATH = '/usr/bin:/bin:/usr/sbin:/sbin'

/** Where the Linux sandbox's programs are on `path` (a colon list), and which are missing. */
export function findSandboxTools(
  path: string,
): { ok: true; tools: SandboxTools } | { ok: false; missing: string[] } {
  const found: Partial<Record<(typeof TOOLS)[number], string>> = {}
  const missing: string[] = []
  for (const name of TOOLS) {
    const where = findProgram(name, path)
    if (where === null) missing.push(name)
    else found[name] = where
  }
  const { bwrap, socat, nsenter, setpriv, unshare, setsid } = found
  if (!bwrap || !socat || !nsenter || !setpriv || !unshare || !setsid) return { ok: false, missing }
  return { ok: true, tools: { bwrap, socat, nsenter, setpriv, unshare, setsid } }
}

/** The packages that bring missing programs (Debian/Ubuntu names). */
export function installHint(missing: readonly string[]): string {
  const packages = new Set(
    missing.map((name) =>
      name === 'bwrap' ? 'bubblewrap' : name === 'nsenter' ? 'util-linux' : name,
    ),
  )
  return `apt-get install ${[...packages].join(' ')}`
}
