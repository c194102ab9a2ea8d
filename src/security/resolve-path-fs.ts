import { realpathSync } from 'node:fs'
import { posix } from 'node:path'

import type { ResolvePath } from './paths.js'

/**
 * Resolves an absolute path the way the kernel walks it: each existing component is replaced by
 * its real path before the next `..` applies, so `link/..` and `link/x` follow the symlink.
 * Components that do not exist yet are kept as written.
 */
export const resolvePathOnDisk: ResolvePath = (absolutePath) => {
  let current = '/'
  for (const part of absolutePath.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      current = posix.dirname(current)
      continue
    }
    const next = posix.join(current, part)
    try {
      current = realpathSync(next)
    } catch {
      // not there (yet): later components cannot be symlinks either
      current = next
    }
  }
  return current
}
