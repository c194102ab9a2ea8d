import { lstatSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

/** Host files that hold secrets only root may read (password hashes, private keys, logs). */
const KNOWN = [
  '/etc/shadow',
  '/etc/shadow-',
  '/etc/gshadow',
  '/etc/gshadow-',
  '/etc/ssl/private',
  '/etc/security/opasswd',
  '/var/backups',
  '/var/cache/debconf/passwords.dat',
  '/var/cache/private',
  '/var/lib/private',
  '/var/lib/sudo',
  '/var/log',
  '/var/mail',
  '/var/spool',
]

let cached: readonly string[] | null = null

/** Entries under `dir` (depth-limited) that others may not read: what only their owner sees. */
function ownerOnly(dir: string, depth: number, found: string[]): void {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return
  }
  for (const name of names) {
    const path = join(dir, name)
    try {
      const stat = lstatSync(path)
      if (stat.isSymbolicLink()) continue
      if ((stat.mode & 0o004) === 0) found.push(path)
      else if (stat.isDirectory() && depth > 0) ownerOnly(path, depth - 1, found)
    } catch {
      // vanished while scanning
    }
  }
}

/**
 * What the sandbox hides besides the spec when it runs as root: processes inside are uid 0
 * without capabilities, which still reads every root-owned file whose owner bits allow it
 * (e.g. /etc/shadow). The known places plus whatever under /etc others may not read; scanned
 * once per process.
 */
export function rootOnlySecrets(): readonly string[] {
  if (cached) return cached
  const found = [...KNOWN]
  ownerOnly('/etc', 3, found)
  cached = [...new Set(found)]
  return cached
}
