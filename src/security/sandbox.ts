import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'

import type { SandboxSpec } from '../sandbox/index.js'
import { CREDENTIAL_HOME_PATHS } from './paths.js'

/**
 * What every sandbox of one project shares (agents' Bash and browser, the merge check, the dev
 * server): what stays hidden, which hosts answer, the environment inside, and whether the person
 * accepted running without the wall. Built once per run by `projectContainment`.
 */
export interface ProjectContainment {
  readonly projectDir: string
  /** Replaced by empty ones inside: AUTOCODER_HOME, the homes, other projects, `<project>/.autocoder`. */
  readonly hidden: readonly string[]
  /** Shown read-only even inside a hidden home: the project and the tools agents run (Node). */
  readonly readable: readonly string[]
  readonly allowedHosts: readonly string[]
  /** The whole environment inside besides what the launcher adds (HOME, TMPDIR, proxy). */
  readonly env: Readonly<Record<string, string>>
  /** The person accepted the risk explicitly: processes run without the wall (kind `unsandboxed`). */
  readonly unsandboxed: boolean
}

export interface ContainmentInput {
  projectDir: string
  autocoderHome: string
  /** Homes whose contents stay hidden: the person's and the model process's (the launcher hides the OS one too). */
  homes: readonly string[]
  /** The other registered projects: neither readable nor writable. */
  otherProjects: readonly string[]
  /** Folders of tools processes inside run (Node's install folder, our Playwright package), shown even in a home. */
  toolDirs?: readonly string[] | undefined
  /** The npm registry's `host[:port]` from npm's own config, if any. */
  registryHost: string | null
  /** The project's own list (the `allowed_hosts` setting). */
  extraHosts: readonly string[]
  /** Our environment: PATH, locale and time zone are passed inside, nothing else. */
  env: Readonly<Record<string, string | undefined>>
  /** The commit identity for agents' own commits (a global git config is not visible inside). */
  gitIdentity?: { name: string; email: string } | null | undefined
  unsandboxed: boolean
}

/** Variables of ours that processes inside get; everything else (keys, tokens) stays out. */
const PASSED_VARIABLES = ['PATH', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ'] as const

function isInside(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`)
}

/**
 * The containment of one project: hidden are AUTOCODER_HOME (registry, global keys), the homes
 * and their credential folders, the other registered projects (never the project itself or one it
 * lies in) and the project's `.autocoder` (database with its keys, other agents' worktrees, the
 * merge check); the project and the tools' folders stay readable inside a hidden home; reachable
 * are the npm registry and the project's own hosts.
 */
export function projectContainment(input: ContainmentInput): ProjectContainment {
  const projectDir = resolve(input.projectDir)
  const homes = [...new Set(input.homes.filter((home) => isAbsolute(home)).map((h) => resolve(h)))]
  const hidden = [
    resolve(input.autocoderHome),
    join(projectDir, '.autocoder'),
    // Credential folders too: they stay hidden should the project be (in) a home and shown again.
    ...homes.flatMap((home) => [home, ...CREDENTIAL_HOME_PATHS.map((path) => join(home, path))]),
    ...input.otherProjects
      .filter((path) => isAbsolute(path))
      .map((path) => resolve(path))
      .filter((path) => !isInside(projectDir, path) && path !== projectDir),
  ]
  const env: Record<string, string> = {}
  for (const name of PASSED_VARIABLES) {
    const value = input.env[name]
    if (value !== undefined) env[name] = value
  }
  if (input.gitIdentity) {
    env['GIT_AUTHOR_NAME'] = input.gitIdentity.name
    env['GIT_AUTHOR_EMAIL'] = input.gitIdentity.email
    env['GIT_COMMITTER_NAME'] = input.gitIdentity.name
    env['GIT_COMMITTER_EMAIL'] = input.gitIdentity.email
  }
  return {
    projectDir,
    hidden: [...new Set(hidden)],
    readable: [projectDir, ...(input.toolDirs ?? []).filter((dir) => isAbsolute(dir))],
    allowedHosts: [
      ...new Set([...(input.registryHost ? [input.registryHost] : []), ...input.extraHosts]),
    ],
    env,
    unsandboxed: input.unsandboxed,
  }
}

/** The real directory `<checkout>/node_modules` links to (the project's shared one), if it does. */
export function linkedNodeModules(checkout: string): string | null {
  const path = join(checkout, 'node_modules')
  try {
    return lstatSync(path).isSymbolicLink() ? realpathSync(path) : null
  } catch {
    return null
  }
}

/** The repository's `.git` directory of a checkout: `<project>/.git` for the project itself. */
function gitCommonDir(projectDir: string): string {
  return join(projectDir, '.git')
}

/** The admin folder of a linked worktree (`<project>/.git/worktrees/<name>`), read from its `.git` file. */
function worktreeAdminDir(checkout: string): string | null {
  try {
    const text = readFileSync(join(checkout, '.git'), 'utf8')
    const match = /^gitdir: (.+)$/m.exec(text)
    if (!match?.[1]) return null
    return resolve(checkout, match[1].trim())
  } catch {
    return null
  }
}

/**
 * What git needs to write for commits on an agent's own branch in a linked worktree: objects,
 * the `autocoder/` branch refs and their logs, and the worktree's admin folder (index, HEAD).
 * Not the project branch's ref, not the config, not the hooks.
 */
function worktreeGitWrites(projectDir: string, checkout: string): string[] {
  const common = gitCommonDir(projectDir)
  const admin = worktreeAdminDir(checkout)
  const paths = [
    join(common, 'objects'),
    join(common, 'refs', 'heads', 'autocoder'),
    join(common, 'logs', 'refs', 'heads', 'autocoder'),
    ...(admin && isInside(admin, join(common, 'worktrees')) ? [admin] : []),
  ]
  return paths.filter((path) => existsSync(path))
}

/** What stays read-only even where the sandbox may write: what makes our git or the person's run programs. */
function gitReadOnly(projectDir: string): string[] {
  const common = gitCommonDir(projectDir)
  return [join(common, 'config'), join(common, 'hooks'), join(common, 'info')]
}

/** Writable checkout plus the shared node_modules its link points to (see src/security/README.md). */
function checkoutWrites(checkout: string): string[] {
  const modules = linkedNodeModules(checkout)
  return [checkout, ...(modules ? [modules] : [])]
}

/**
 * The sandbox of one agent (its Bash, init.sh, the servers it starts, its browser): it writes in
 * its checkout and what git needs for commits on its own branch; `.git` config, hooks and info
 * stay read-only. In the project directory itself (a single agent) the checkout is the project.
 */
export function agentSandboxSpec(
  containment: ProjectContainment,
  agentId: string,
  checkout: string,
): SandboxSpec {
  const { projectDir } = containment
  const own = resolve(checkout) === projectDir
  // The browser's screenshots go to <checkout>/.autocoder/screenshots (inside the hidden folder here).
  const writable = own
    ? [...checkoutWrites(projectDir), join(projectDir, '.autocoder', 'screenshots')]
    : [...checkoutWrites(checkout), ...worktreeGitWrites(projectDir, checkout)]
  return {
    label: agentId,
    writable,
    readOnly: gitReadOnly(projectDir),
    hidden: [...containment.hidden],
    readable: [...containment.readable],
    allowedHosts: [...containment.allowedHosts],
    env: { ...containment.env },
  }
}

/** The sandbox of the merge check: it writes only in the verification checkout (and node_modules). */
export function checkSandboxSpec(containment: ProjectContainment, checkout: string): SandboxSpec {
  return {
    label: 'merge-check',
    writable: checkoutWrites(checkout),
    readOnly: gitReadOnly(containment.projectDir),
    hidden: [...containment.hidden],
    readable: [...containment.readable],
    allowedHosts: [...containment.allowedHosts],
    env: { ...containment.env, CI: '1' },
  }
}

/** The sandbox of the project's dev server: it runs in (and may write) the project directory. */
export function devServerSandboxSpec(containment: ProjectContainment): SandboxSpec {
  return {
    label: 'dev-server',
    writable: checkoutWrites(containment.projectDir),
    readOnly: gitReadOnly(containment.projectDir),
    hidden: [...containment.hidden],
    readable: [...containment.readable],
    allowedHosts: [...containment.allowedHosts],
    env: { ...containment.env },
  }
}
