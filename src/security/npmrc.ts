import { posix } from 'node:path'

import type { CheckContext } from './invocation.js'
import { isInside } from './paths.js'

/**
 * A project `.npmrc` can point npm and pnpm at another shell or program (`script-shell`,
 * `node-options`, `git`, `init-module`, `node-gyp`…) or move their files elsewhere (`cache`,
 * `prefix`, `logs-dir`). Only the keys below may appear in any `.npmrc` between the directory a
 * command runs in and the root it lies in; any other key refuses the command.
 */
const SAFE_KEY =
  /^(registry|@[a-z0-9._~-]+:registry|\/\/[^\s=]+:(_authToken|_auth|always-auth|username|_password|email)|always-auth|legacy-peer-deps|strict-peer-deps|auto-install-peers|shamefully-hoist|public-hoist-pattern(\[\])?|hoist-pattern(\[\])?|node-linker|save-exact|save-prefix|engine-strict|fund|audit|audit-level|package-lock|lockfile|loglevel|progress|ignore-scripts|omit(\[\])?|include(\[\])?|optional|prefer-offline|prefer-online|update-notifier|color|install-strategy|lockfile-version|save|strict-ssl|fetch-retries|fetch-retry-factor|fetch-retry-mintimeout|fetch-retry-maxtimeout|fetch-timeout|maxsockets|link-workspace-packages|prefer-workspace-packages|dedupe-peer-dependents|resolution-mode|package-import-method|frozen-lockfile|prefer-frozen-lockfile|workspaces-update|save-workspace-protocol|fund|unicode|timing|yes)$/i

/** Files npm, npx and pnpm read configuration from inside a project. */
const CONFIG_FILES = ['.npmrc']

/** Why the project's npm configuration may not be used, or null. */
export function npmConfigProblem(label: string, context: CheckContext): string | null {
  const read = context.readText
  if (!read) return null
  const roots = context.scope.writeRoots.map((root) =>
    context.scope.resolvePath(posix.resolve(root)),
  )
  for (const base of context.scope.bases) {
    for (const dir of ancestorsWithin(base, roots)) {
      for (const file of CONFIG_FILES) {
        const path = posix.join(dir, file)
        const text = read(path)
        if (text === null) continue
        const key = unsafeKey(text)
        if (key)
          return `${label}: ${path} sets ${key}, which changes what npm runs or where it writes; remove that line (allowed keys: registry, legacy-peer-deps, save-exact, auth tokens…)`
      }
    }
  }
  return null
}

/** The directory and its parents, up to (and including) the root it lies in. */
function ancestorsWithin(dir: string, roots: readonly string[]): string[] {
  const root = roots
    .filter((candidate) => isInside(dir, candidate))
    .sort((a, b) => a.length - b.length)[0]
  if (!root) return []
  const out: string[] = []
  for (let current = dir; ; current = posix.dirname(current)) {
    out.push(current)
    if (current === root || current === '/') break
  }
  return out
}

/** The first key of an ini text that is not on the safe list. */
export function unsafeKey(text: string): string | null {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue
    const equals = line.indexOf('=')
    const key = (equals === -1 ? line : line.slice(0, equals)).trim()
    if (!SAFE_KEY.test(key)) return key
  }
  return null
}
