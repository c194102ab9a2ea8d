import { lstatSync, readlinkSync } from 'node:fs'
import { posix } from 'node:path'

import type { ResolvePath } from './paths.js'

/** Where a path resolves when its symbolic links loop: outside every allowed directory. */
const LOOP = '/proc/self/root/symlink-loop'
const MAX_LINKS = 40

/**
 * Resolves an absolute path the way the kernel walks it: each component is looked at before the
 * next `..` applies, so `link/..` and `link/x` follow the symlink. A dangling link is followed to
 * where it points (writing through it would create its target); once a component does not exist,
 * the rest is kept as written. Uses lstat without exceptions: a decision resolves many paths.
 */
export const resolvePathOnDisk: ResolvePath = (absolutePath) => {
  let current = '/'
  const pending = absolutePath.split('/')
  let links = 0
  while (pending.length > 0) {
    const part = pending.shift() ?? ''
    if (part === '' || part === '.') continue
    if (part === '..') {
      current = posix.dirname(current)
      continue
    }
    const next = posix.join(current, part)
    const stats = entry(next)
    if (stats === undefined) {
      // not there (yet): nothing below it can be a link either
      return posix.join(next, ...pending.filter((rest) => rest !== ''))
    }
    if (!stats.isSymbolicLink()) {
      current = next
      continue
    }
    if (++links > MAX_LINKS) return LOOP
    const target = readlinkSync(next)
    // the rest of the path continues from where the link points
    if (target.startsWith('/')) current = '/'
    pending.unshift(...target.split('/'))
  }
  return current
}

/** lstat without an exception for a missing entry; a path under a file (ENOTDIR) is missing too. */
function entry(path: string): ReturnType<typeof lstatSync> {
  try {
    return lstatSync(path, { throwIfNoEntry: false })
  } catch {
    return undefined // ENOTDIR, EACCES: the kernel cannot go further either
  }
}
