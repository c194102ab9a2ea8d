import {
  DANGEROUS,
  DEFAULT_PKILL_PROCESSES,
  EXTRA_ALLOWED,
  HARD_BLOCKED,
  REFERENCE_ALLOWED,
  SENSITIVE_FAMILIES,
} from './command-lists.js'
import type { OrgPolicyConfig, ProjectPolicyConfig } from './policy-config.js'
import { WRAPPERS } from './unwrap.js'

/** Where an allowlist entry came from: `default` or the config file that added it. */
export type RuleSource = string

/** The effective policy after merging defaults, org and project config. */
export interface PolicyRules {
  /** Allowed command names or patterns (`prefix*`, `./path`) with their source. */
  readonly allowed: ReadonlyMap<string, RuleSource>
  readonly blocked: ReadonlySet<string>
  readonly pkillProcesses: ReadonlySet<string>
  /** Packages `npx`/`npm exec`/`pnpm dlx` may run (declared by the project or allowed by config). */
  readonly npxPackages: ReadonlySet<string>
}

export interface RulesInput {
  readonly org?: { config: OrgPolicyConfig; file: string } | undefined
  readonly project?: { config: ProjectPolicyConfig; file: string } | undefined
  /** Package names and bin names the project's package.json files declare. */
  readonly declaredPackages?: readonly string[] | undefined
}

/**
 * Why a project allowlist entry is refused, or null when it is acceptable. `*` alone, names on
 * the block lists, and wildcards whose prefix covers an interpreter or privileged tool are refused.
 */
export function rejectProjectCommand(name: string): string | null {
  if (name === '*' || name.trim() === '') return 'a bare * would allow every command'
  const base = basename(name.endsWith('*') ? name.slice(0, -1) : name)
  const blocked: readonly string[] = [...HARD_BLOCKED, ...DANGEROUS]
  if (blocked.includes(base)) return `${base} is on the block list`
  if (name.endsWith('*')) {
    const opened = SENSITIVE_FAMILIES.find((family) => family.startsWith(base))
    if (opened) return `the wildcard ${name} would also allow ${opened}`
  }
  if (name.slice(0, -1).includes('*')) return 'only a single trailing * is supported'
  return null
}

/** Merges defaults, org and project config with the reference's semantics (blocked wins). */
export function buildRules(input: RulesInput): PolicyRules {
  const allowed = new Map<string, RuleSource>()
  for (const name of [...REFERENCE_ALLOWED, ...EXTRA_ALLOWED]) allowed.set(name, 'default')
  for (const entry of input.org?.config.allowed_commands ?? []) {
    if (entry.name !== '*') allowed.set(entry.name, input.org?.file ?? 'org')
  }
  for (const entry of input.project?.config.commands ?? []) {
    if (rejectProjectCommand(entry.name) === null)
      allowed.set(entry.name, input.project?.file ?? 'project')
  }
  const blocked = new Set<string>([
    ...HARD_BLOCKED,
    ...DANGEROUS,
    ...(input.org?.config.blocked_commands ?? []),
  ])
  for (const name of blocked) allowed.delete(name)
  const pkillProcesses = new Set<string>([
    ...DEFAULT_PKILL_PROCESSES,
    ...(input.org?.config.pkill_processes ?? []),
    ...(input.project?.config.pkill_processes ?? []),
  ])
  const npxPackages = new Set<string>([
    ...(input.declaredPackages ?? []),
    ...(input.org?.config.npx_packages ?? []),
    ...(input.project?.config.npx_packages ?? []),
  ])
  return { allowed, blocked, pkillProcesses, npxPackages }
}

/**
 * Does an allowlist entry match a command as written? Bare names match bare names; `prefix*`
 * matches names starting with prefix; an entry with `/` matches only that exact path.
 */
export function matchesEntry(entry: string, command: string): boolean {
  if (entry === '*') return false
  if (entry.includes('/')) return normalisePath(entry) === normalisePath(command)
  if (command.includes('/')) return false
  if (entry.endsWith('*')) return command.startsWith(entry.slice(0, -1))
  return entry === command
}

function normalisePath(path: string): string {
  return path.startsWith('./') ? path.slice(2) : path
}

export function basename(path: string): string {
  const index = path.lastIndexOf('/')
  return index === -1 ? path : path.slice(index + 1)
}

/** Which allowlist entry admits `name`, or null. Bare names also match in the system bin dirs. */
export function allowSource(name: string, rules: PolicyRules): RuleSource | null {
  const exact = name.includes('/') ? undefined : rules.allowed.get(name)
  if (exact !== undefined) return exact
  for (const [entry, source] of rules.allowed) if (matchesEntry(entry, name)) return source
  const base = basename(name)
  if (base === 'init.sh' && name.includes('/')) return rules.allowed.get('init.sh') ?? null
  if (SYSTEM_BIN.test(name)) return rules.allowed.get(base) ?? null
  return null
}

/** A wrapper named bare or by its path in a system bin folder (`/usr/bin/env`, not `./env`). */
export function isWrapper(name: string, base: string): boolean {
  return WRAPPERS.has(base) && (name === base || SYSTEM_BIN.test(name))
}

const SYSTEM_BIN = /^\/(usr\/)?(local\/)?s?bin\/[^/]+$/
