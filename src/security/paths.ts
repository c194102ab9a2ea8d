import { posix } from 'node:path'

/**
 * Turns an absolute path that may contain `..` and symlinks into the path the kernel would reach.
 * The pure default is lexical; `resolvePathOnDisk` (resolve-path-fs.ts) follows symlinks.
 */
export type ResolvePath = (absolutePath: string) => string

export const resolveLexically: ResolvePath = (absolutePath) => posix.resolve(absolutePath)

/** Where relative paths start and which directories may be written. */
export interface PathScope {
  /** Every directory the command may be in when it runs (the cwd plus each `cd` target seen). */
  readonly bases: readonly string[]
  /** The agent's cwd first, then the project directory. */
  readonly writeRoots: readonly string[]
  readonly homeDir?: string | undefined
  readonly resolvePath: ResolvePath
  /** Told every resolved path a command reads or writes (for the symbolic-link hazard check). */
  readonly record?: ((path: string) => void) | undefined
}

/** Redirect targets that are not files. */
export const DEVICE_TARGETS = new Set([
  '/dev/null',
  '/dev/stdout',
  '/dev/stderr',
  '/dev/tty',
  '/dev/fd/1',
  '/dev/fd/2',
])

/** Home-relative locations that hold credentials (reference list plus a few). */
export const CREDENTIAL_HOME_PATHS = [
  '.ssh',
  '.aws',
  '.azure',
  '.kube',
  '.gnupg',
  '.gpg',
  '.password-store',
  '.docker',
  '.config/gcloud',
  '.config/gh',
  '.npmrc',
  '.pypirc',
  '.netrc',
  '.terraform',
  '.git-credentials',
  '.autocoder',
  '.claude',
  '.claude.json',
  '.bash_history',
]
const SENSITIVE_ABSOLUTE = [
  '/etc/shadow',
  '/etc/gshadow',
  '/etc/sudoers',
  '/etc/ssh',
  '/root',
  '/run/secrets',
  '/var/run/secrets',
  '/dev/mem',
  '/dev/kmem',
  '/dev/port',
]
/** Raw disks: reading them bypasses every file permission. */
const RAW_DEVICE = /^\/dev\/(sd|hd|vd|xvd|nvme|mmcblk|loop|dm-|md|disk\/)/
/** Files under /proc/<pid>/ (and /proc/<pid>/task/<tid>/) that expose a process. */
const PROCESS_SECRETS = new Set([
  'environ',
  'mem',
  'root',
  'cwd',
  'fd',
  'map_files',
  'auxv',
  'pagemap',
  'exe',
])
const SENSITIVE_COMPONENT = new Set([
  '.ssh',
  '.aws',
  '.gnupg',
  '.kube',
  '.password-store',
  '.git-credentials',
  '.netrc',
])

/** Why a path that will be written, moved or deleted is refused, or null when it stays inside. */
export function checkWritePath(value: string | null, scope: PathScope): string | null {
  if (value === null) return 'the path is computed at run time, so it cannot be checked'
  if (value === '') return 'the path is empty'
  if (DEVICE_TARGETS.has(value)) return null
  const expanded = expandHome(value, scope.homeDir)
  if (expanded === null) return `${value} refers to a home directory`
  const variants = expandBraces(expanded)
  if (variants === null) return `${value} has a brace expansion too complex to check`
  const roots = scope.writeRoots.map((root) => scope.resolvePath(posix.resolve(root)))
  for (const variant of variants) {
    if (variant.split('/').some(mayMatchParent))
      return `${value} may match .. and leave the allowed directories`
    for (const base of scope.bases) {
      const absolute = variant.startsWith('/') ? variant : `${base}/${variant}`
      const real = scope.resolvePath(absolute)
      scope.record?.(real)
      if (!roots.some((root) => isInside(real, root))) {
        return `${value} resolves to ${real}, outside ${[...new Set(scope.writeRoots)].join(' and ')}`
      }
      const guarded = protectedArea(real, roots)
      if (guarded) return `${value} is inside ${guarded}, which agents may not change`
    }
  }
  return null
}

/** Why a path may not even be read (credentials outside the project), or null. */
export function checkSensitivePath(value: string | null, scope: PathScope): string | null {
  if (value === null) return null
  const expanded = expandHome(value, scope.homeDir ?? '/nonexistent-home')
  if (expanded === null) return `${value} refers to another user's home directory`
  if (/^\/dev\/(tcp|udp)\//.test(posix.normalize(expanded)))
    return `${value} opens a network connection`
  const roots = scope.writeRoots.map((root) => scope.resolvePath(posix.resolve(root)))
  for (const base of scope.bases) {
    const lexical = posix.resolve(base, expanded)
    const real = scope.resolvePath(lexical)
    for (const absolute of lexical === real ? [real] : [lexical, real]) {
      const reason = sensitiveReason(value, absolute, roots, scope.homeDir)
      if (reason) return reason
    }
  }
  return null
}

/** Why reading `absolute` (resolved) would reach credentials, another process or a raw disk. */
function sensitiveReason(
  value: string,
  absolute: string,
  roots: readonly string[],
  homeDir: string | undefined,
): string | null {
  if (roots.some((root) => isInside(absolute, root))) return null
  const inside = /[*?[]/.test(absolute) ? mayMatchInside : isInside
  if (homeDir && CREDENTIAL_HOME_PATHS.some((path) => inside(absolute, posix.join(homeDir, path))))
    return `${value} holds credentials`
  if (SENSITIVE_ABSOLUTE.some((path) => inside(absolute, path)))
    return `${value} is a protected system file`
  // a pattern under /proc (`/proc/self/env*`, `/proc/*/environ`) may match a process's secrets
  if (isInside(absolute, '/proc') && /[*?[]/.test(absolute))
    return `${value} is a pattern under /proc, which may match a process's environment or memory`
  if (absolute.split('/').some((part) => SENSITIVE_COMPONENT.has(part)))
    return `${value} holds credentials`
  if (isInside(absolute, '/proc') && absolute.split('/').some((part) => PROCESS_SECRETS.has(part)))
    return `${value} exposes a process's environment, memory or files`
  if (RAW_DEVICE.test(absolute)) return `${value} is a raw disk`
  return null
}

/**
 * A path a command reads: it must be written out (a computed path could name anything), stay
 * clear of credentials, and is recorded for the symbolic-link hazard check.
 */
export function checkReadPath(
  value: string | null,
  scope: PathScope,
  recursive = false,
): string | null {
  if (value === null) return 'the path is computed at run time, so it cannot be checked'
  const reason = checkSensitivePath(value, scope) ?? checkHomeRead(value, scope, recursive)
  if (reason) return reason
  const expanded = expandHome(value, scope.homeDir)
  if (expanded !== null && !DEVICE_TARGETS.has(expanded) && scope.record)
    for (const base of scope.bases) scope.record(scope.resolvePath(posix.resolve(base, expanded)))
  return null
}

/**
 * Places inside the roots that agents may not write: `.autocoder` (the policy files, the database,
 * other agents' worktrees) and every `.git` (a repository's config and hooks run programs, and
 * moving `.git` away and back would change them; a nested repository's config would run programs
 * for git commands run inside it). The agent's own worktree lives under
 * `<project>/.autocoder/worktrees/`; writing inside it stays allowed, except its `.git`. A
 * `.npmrc` anywhere is npm's configuration (`script-shell`, `node-options`): agents may not write
 * one (npm's command-line flags cover what a project needs).
 */
export function protectedArea(real: string, roots: readonly string[]): string | null {
  const cwd = roots[0] ?? '/'
  for (const root of roots) {
    if (!isInside(real, root)) continue
    // case-insensitive: on macOS `.GIT/config` is `.git/config`
    const parts = real.slice(root.length).split('/')
    const named = parts.findIndex((part) => /^\.(git|npmrc)$/i.test(part))
    if (named !== -1) return posix.join(root, ...parts.slice(0, named + 1))
    const area = `${root}/.autocoder`
    if (!isInside(real.toLowerCase(), area.toLowerCase())) continue
    const ownWorktree = isInside(cwd, area) && cwd !== area && isInside(real, cwd)
    if (!ownWorktree) return area
  }
  return null
}

/**
 * Reading the home directory as a whole (`grep -r key ~`, `cat ~/<glob>/id_rsa`) reaches the
 * credentials in it. Refuses the home directory itself, globs directly under it and, for
 * recursive reads, any directory above it (and anything in /proc, which holds environments).
 */
export function checkHomeRead(
  value: string | null,
  scope: PathScope,
  recursive: boolean,
): string | null {
  const home = scope.homeDir
  if (value === null || !home) return null
  const expanded = expandHome(value, home)
  if (expanded === null) return null
  const roots = scope.writeRoots.map((root) => posix.resolve(root))
  for (const base of scope.bases) {
    const absolute = posix.resolve(base, expanded)
    if (roots.some((root) => isInside(absolute, root))) continue
    if (absolute === home) return `${value} is the home directory, which holds credentials`
    const [first] = absolute.startsWith(`${home}/`)
      ? absolute.slice(home.length + 1).split('/')
      : []
    if (first !== undefined && /[*?[]/.test(first))
      return `${value} reaches into every directory of home, including credentials`
    if (recursive && isInside(home, absolute))
      return `${value} contains the home directory, which holds credentials`
    if (recursive && (isInside(absolute, '/proc') || isInside('/proc', absolute)))
      return `${value}: a recursive read of /proc reaches every process's environment`
  }
  return null
}

/**
 * Could a wildcard path (`/home/u/.s*`, `/home/u/.config/g?/hosts.yml`) name `root` or something
 * inside it? Compared component by component; a wildcard component matches as the shell would.
 */
function mayMatchInside(pattern: string, root: string): boolean {
  const parts = pattern.split('/')
  const rootParts = root.split('/')
  if (parts.length < rootParts.length) return false
  return rootParts.every((part, i) => componentMatches(parts[i] ?? '', part))
}

function componentMatches(pattern: string, name: string): boolean {
  if (!/[*?[]/.test(pattern)) return pattern === name
  const source = pattern.replace(/\\(.)|([*?])|\[(!|\^)?([^\]]*)\]|([^*?[\\])/g, globPiece)
  try {
    return new RegExp(`^${source}$`, 's').test(name)
  } catch {
    return true // a pattern this does not understand may match anything
  }
}

function globPiece(
  _whole: string,
  escaped?: string,
  star?: string,
  negate?: string,
  members?: string,
  plain?: string,
): string {
  if (escaped !== undefined) return escapeRegExp(escaped)
  if (star !== undefined) return star === '*' ? '.*' : '.'
  if (members !== undefined) return `[${negate ? '^' : ''}${members.replace(/[\\\]]/g, '\\$&')}]`
  return escapeRegExp(plain ?? '')
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Is `path` the directory `root` or inside it (both absolute, normalised)? */
export function isInside(path: string, root: string): boolean {
  if (root === '/') return true
  return path === root || path.startsWith(`${root}/`)
}

function expandHome(value: string, homeDir: string | undefined): string | null {
  if (value !== '~' && !value.startsWith('~/')) return value.startsWith('~') ? null : value
  if (!homeDir) return null
  return homeDir + value.slice(1)
}

/** A glob component starting with `.` (`.*`, `.?`, `.[.]`) can match `..`. */
function mayMatchParent(component: string): boolean {
  return component.startsWith('.') && /[*?[]/.test(component)
}

/** Expands `{a,b}` and `{1..3}` groups; null when there are too many results. */
export function expandBraces(value: string): string[] | null {
  const match = /\{([^{}]*)\}/.exec(value)
  if (!match) return [value]
  const inner = match[1] ?? ''
  const range = /^(-?\d+)\.\.(-?\d+)$/.exec(inner)
  let options: string[]
  if (range) {
    const from = Number(range[1])
    const to = Number(range[2])
    if (Math.abs(to - from) > 64) return null
    options = []
    for (let i = from; from <= to ? i <= to : i >= to; i += from <= to ? 1 : -1)
      options.push(String(i))
  } else if (inner.includes(',')) {
    options = inner.split(',')
  } else {
    return null
  }
  const out: string[] = []
  for (const option of options) {
    const rest = expandBraces(
      value.slice(0, match.index) + option + value.slice(match.index + match[0].length),
    )
    if (rest === null) return null
    out.push(...rest)
    if (out.length > 256) return null
  }
  return out
}
