/** What a path is on the host, as far as the mount plan cares. */
export type PathKind = 'dir' | 'file' | 'missing'

export interface MountPlanInput {
  writable: readonly string[]
  readOnly: readonly string[]
  hidden: readonly string[]
  /** Shown read-only even inside a hidden path (the project inside the home). */
  readable?: readonly string[] | undefined
  /** The host's home directory: always hidden (a read-only empty directory). */
  home: string
  /** The private host folder bound read-write at /tmp (HOME and TMPDIR live in it). */
  privateTmp: string
  /** Host folder with the proxy socket, bound read-only at `networkDirInside`. */
  networkDir: string
  networkDirInside: string
  /** An empty host file (read-only) that replaces hidden files. */
  emptyFile: string
}

type Kind = 'readable' | 'writable' | 'readOnly' | 'hidden'
interface Entry {
  path: string
  kind: Kind
}

const RANK: Record<Kind, number> = { readable: 0, writable: 1, readOnly: 2, hidden: 3 }

function depth(path: string): number {
  return path === '/' ? 0 : path.split('/').length - 1
}

function isUnder(path: string, ancestor: string): boolean {
  return ancestor === '/' || path === ancestor || path.startsWith(`${ancestor}/`)
}

/** The deepest entry at or above `path` other than `self` (the mount that decides what shows there). */
function coveringEntry(entries: readonly Entry[], self: Entry): Entry | undefined {
  let best: Entry | undefined
  for (const entry of entries) {
    if (entry === self || !isUnder(self.path, entry.path)) continue
    if (
      !best ||
      depth(entry.path) > depth(best.path) ||
      (depth(entry.path) === depth(best.path) && RANK[entry.kind] > RANK[best.kind])
    )
      best = entry
  }
  return best
}

/**
 * The bubblewrap arguments for a sandbox's filesystem view: the host read-only, a fresh /dev,
 * /proc and /run, the home and every hidden path replaced by empty ones, readable paths shown
 * again inside them, a private /tmp, the writable directories, then read-only paths over them.
 * Parents are mounted before children; at one path hidden beats read-only beats writable beats
 * readable. A read-only path inside a hidden one is left
 * hidden (binding it would show it). Pure: `kindOf` tells what each host path is.
 */
export function planMounts(input: MountPlanInput, kindOf: (path: string) => PathKind): string[] {
  const entries: Entry[] = [
    { path: input.home, kind: 'hidden' },
    ...input.hidden.map((path) => ({ path, kind: 'hidden' as const })),
    ...(input.readable ?? []).map((path) => ({ path, kind: 'readable' as const })),
    ...input.writable.map((path) => ({ path, kind: 'writable' as const })),
    ...input.readOnly.map((path) => ({ path, kind: 'readOnly' as const })),
  ]
  const sorted = entries
    .filter((entry) => entry.path !== '/')
    .sort((a, b) => depth(a.path) - depth(b.path) || RANK[a.kind] - RANK[b.kind])
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/run']
  args.push('--bind', input.privateTmp, '/tmp')
  const remountReadOnly: string[] = []
  const seen = new Set<string>()
  for (const entry of sorted) {
    const key = `${entry.kind}\0${entry.path}`
    if (seen.has(key)) continue
    seen.add(key)
    const kind = kindOf(entry.path)
    switch (entry.kind) {
      case 'readable':
        if (kind !== 'missing') args.push('--ro-bind', entry.path, entry.path)
        break
      case 'writable':
        if (kind === 'dir') args.push('--bind', entry.path, entry.path)
        break
      case 'hidden':
        if (kind === 'dir') {
          args.push('--perms', '0555', '--tmpfs', entry.path)
          remountReadOnly.push(entry.path)
        } else if (kind === 'file') {
          args.push('--ro-bind', input.emptyFile, entry.path)
        }
        break
      case 'readOnly': {
        if (coveringEntry(sorted, entry)?.kind === 'hidden') break
        if (kind !== 'missing') {
          args.push('--ro-bind', entry.path, entry.path)
        } else if (kindOf(parentOf(entry.path)) === 'dir') {
          // Nothing to protect yet: an empty read-only directory keeps anyone from creating it.
          args.push('--perms', '0555', '--tmpfs', entry.path)
          remountReadOnly.push(entry.path)
        }
        break
      }
    }
  }
  args.push('--ro-bind', input.networkDir, input.networkDirInside)
  for (const path of remountReadOnly) args.push('--remount-ro', path)
  return args
}

function parentOf(path: string): string {
  const index = path.lastIndexOf('/')
  return index <= 0 ? '/' : path.slice(0, index)
}
