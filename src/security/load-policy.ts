import { readFileSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'

import type { z } from 'zod'

// core/result.js, not core's index (which loads zod): `autocoder policy check` starts without it.
import { err, ok } from '../core/result.js'
import type { AppError, Result } from '../core/index.js'

import { loadBashParser } from './bash-parser.js'
import type { BashPolicy } from './decide-bash.js'
import { declaredPackages } from './declared-packages.js'
import type { ProtectedProcess } from './invocation.js'
import type * as ConfigSchemas from './policy-config.js'
import { buildRules, rejectProjectCommand, type RulesInput } from './policy-rules.js'
import { portOwnersOnDisk } from './port-owners-fs.js'

/** Error codes of policy loading (the security module's expected failures). */
export const SECURITY_ERROR_CODES = [
  /** A config file is not valid YAML or does not match its schema. */
  'POLICY_CONFIG_INVALID',
  /** A project entry would open a blocked command or an interpreter family. */
  'POLICY_CONFIG_REJECTED',
  /** A config file exists but cannot be read. */
  'POLICY_CONFIG_UNREADABLE',
  /** The bash grammar (wasm) could not be loaded. */
  'POLICY_PARSER_UNAVAILABLE',
] as const
export type PolicyErrorCode = (typeof SECURITY_ERROR_CODES)[number]
export type PolicyError = AppError<PolicyErrorCode>

export interface LoadPolicyOptions {
  readonly projectDir: string
  /** The agent's working directory (worktree); its package.json also declares packages. */
  readonly cwd?: string | undefined
  /** `$AUTOCODER_HOME` (default ~/.autocoder, resolved by the caller); omit for no org config. */
  readonly autocoderHome?: string | undefined
}

/** The project file, relative to the project directory. */
export const PROJECT_POLICY_FILE = join('.autocoder', 'allowed_commands.yaml')

/**
 * Loads org and project config, the packages the project declares and the bash parser, once per
 * session. Any malformed or refused file is an error naming the file and line: a session never
 * starts with a half-read policy.
 */
export async function loadPolicy(
  options: LoadPolicyOptions,
): Promise<Result<BashPolicy, PolicyError>> {
  // The grammar's wasm compiles in the background while the config is read (createBashPolicy
  // awaits the same promise and reports its failure); a config error leaves it unused.
  loadBashParser().catch(() => undefined)
  const orgFile =
    options.autocoderHome === undefined ? undefined : join(options.autocoderHome, 'config.yaml')
  const org =
    orgFile === undefined
      ? ok(undefined)
      : await readConfig(orgFile, (schemas) => schemas.OrgPolicyConfig)
  if (!org.ok) return org
  const projectFile = join(options.projectDir, PROJECT_POLICY_FILE)
  const project = await readConfig(projectFile, (schemas) => schemas.ProjectPolicyConfig)
  if (!project.ok) return project
  const rejected =
    project.value?.config.commands.findIndex(
      (entry) => rejectProjectCommand(entry.name) !== null,
    ) ?? -1
  if (project.value && rejected !== -1) {
    const name = project.value.config.commands[rejected]?.name ?? ''
    const line = project.value.lineOf(['commands', rejected])
    return err(
      'POLICY_CONFIG_REJECTED',
      `${projectFile}${line === undefined ? '' : `:${line}`}: command ${JSON.stringify(name)} is refused: ${rejectProjectCommand(name) ?? ''}; name the exact command instead.`,
    )
  }
  const dirs = [
    options.projectDir,
    ...(options.cwd && options.cwd !== options.projectDir ? [options.cwd] : []),
  ]
  return createBashPolicy(
    {
      org: org.value && orgFile ? { config: org.value.config, file: orgFile } : undefined,
      project: project.value ? { config: project.value.config, file: projectFile } : undefined,
      declaredPackages: dirs.flatMap((dir) => declaredPackages(dir)),
    },
    {
      readText: readTextOnDisk,
      protectedProcesses: ownProcesses(),
      processDirectory: processDirectoryOnDisk,
      portOwners: portOwnersOnDisk,
    },
  )
}

/** Reads a small text file the policy consults (`.npmrc`); null when it is absent or unreadable. */
function readTextOnDisk(path: string): string | null {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return null // absent (the usual case) or unreadable: npm cannot read it either
  }
}

/** A process's working directory from /proc (Linux); null where it cannot be read. */
function processDirectoryOnDisk(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/cwd`)
  } catch {
    return null
  }
}

/** autocoder's own process and its parent, as pkill and kill would see them. */
function ownProcesses(): ProtectedProcess[] {
  return [process.pid, process.ppid].map((pid) => ({
    pid,
    name: readTextOnDisk(`/proc/${pid}/comm`)?.trim() ?? (pid === process.pid ? 'node' : ''),
    commandLine:
      readTextOnDisk(`/proc/${pid}/cmdline`)?.replaceAll('\0', ' ').trim() ??
      (pid === process.pid ? process.argv.join(' ') : ''),
  }))
}

/** What a policy may read or protect at decision time (loadPolicy passes the real disk). */
export type PolicyEnvironment = Pick<
  BashPolicy,
  'readText' | 'protectedProcesses' | 'processDirectory' | 'portOwners'
>

/** Builds a policy from already-parsed config (tests, tools); loads the parser once per process. */
export async function createBashPolicy(
  input: RulesInput = {},
  environment: PolicyEnvironment = {},
): Promise<Result<BashPolicy, PolicyError>> {
  for (const entry of input.project?.config.commands ?? []) {
    const reason = rejectProjectCommand(entry.name)
    if (reason) {
      return err(
        'POLICY_CONFIG_REJECTED',
        `${input.project?.file ?? 'project config'}: command ${JSON.stringify(entry.name)} is refused: ${reason}; name the exact command instead.`,
      )
    }
  }
  try {
    const parser = await loadBashParser()
    return ok({ rules: buildRules(input), parser, ...environment })
  } catch (cause) {
    return err(
      'POLICY_PARSER_UNAVAILABLE',
      `could not load the bash grammar (tree-sitter-bash wasm): ${String(cause)}; reinstall dependencies with npm ci.`,
      cause,
    )
  }
}

type ParsedConfig<T> = { config: T; lineOf: (path: readonly PropertyKey[]) => number | undefined }

/**
 * Reads and validates one YAML file; a missing file is `undefined`, anything else wrong an error.
 * The YAML parser and the schemas are loaded only when the file exists.
 */
async function readConfig<S extends z.ZodType>(
  file: string,
  pick: (schemas: typeof ConfigSchemas) => S,
): Promise<Result<ParsedConfig<z.infer<S>> | undefined, PolicyError>> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return ok(undefined)
    return err(
      'POLICY_CONFIG_UNREADABLE',
      `${file}: cannot be read (${String(cause)}); fix its permissions.`,
      cause,
    )
  }
  const [{ LineCounter, parseDocument, YAMLParseError }, schemas] = await Promise.all([
    import('yaml'),
    import('./policy-config.js'),
  ])
  const schema = pick(schemas)
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, prettyErrors: true })
  const [syntaxError] = document.errors
  if (syntaxError) {
    const line = syntaxError instanceof YAMLParseError ? syntaxError.linePos?.[0]?.line : undefined
    const where = line === undefined ? '' : `:${line}`
    return err(
      'POLICY_CONFIG_INVALID',
      `${file}${where}: invalid YAML: ${syntaxError.message.split('\n')[0] ?? ''}; fix the file.`,
    )
  }
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = document.getIn(path.slice(0, depth) as unknown[], true) as
        { range?: [number, number, number] } | undefined
      if (node?.range) return lineCounter.linePos(node.range[0]).line
    }
    return undefined
  }
  const parsed = schema.safeParse(document.toJS() ?? {})
  if (!parsed.success) {
    const [issue] = parsed.error.issues
    const line = issue ? lineOf(issue.path) : undefined
    const field = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
    return err(
      'POLICY_CONFIG_INVALID',
      `${file}${line === undefined ? '' : `:${line}`}: ${issue?.message ?? 'invalid'}${field}; fix the file.`,
    )
  }
  return ok({ config: parsed.data, lineOf })
}
