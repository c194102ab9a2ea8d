import { stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'

import { type Clock, systemClock } from '../core/index.js'
import { WorkspaceFailure } from './errors.js'
import { runProcess } from './process.js'

/** Per-call limits shared by every git invocation. */
export interface GitContext {
  timeoutMs: number
  signal?: AbortSignal | undefined
  clock: Clock
}

export const defaultGitTimeoutMs = 60_000

export function gitContext(options: {
  timeoutMs?: number | undefined
  signal?: AbortSignal | undefined
  clock?: Clock | undefined
}): GitContext {
  return {
    timeoutMs: options.timeoutMs ?? defaultGitTimeoutMs,
    signal: options.signal,
    clock: options.clock ?? systemClock,
  }
}

export interface GitResult {
  exitCode: number
  stdout: string
  stderr: string
}

/**
 * Configuration every git we run is given on its command line, where it wins over any file: no
 * hooks, no fsmonitor, no pager, editor, askpass, ssh, credential helper or signing program, no
 * transport at all (we never fetch), no automatic gc, no submodule recursion, and no repository
 * found implicitly as a bare one (a worktree an agent rewrote as a bare repository). An agent
 * can write repository config (its worktree's `.git` file, a leftover of a policy gap); none of
 * these keys can then make our merge run its programs. Driver keys named by attributes (filters,
 * merge and diff drivers) cannot be switched off by name here: `repo-guard.ts` restores the
 * repository config an agent changed before our git runs.
 */
export const SAFE_GIT_CONFIG: readonly string[] = [
  'core.hooksPath=/dev/null',
  'core.fsmonitor=false',
  'core.pager=cat',
  'core.editor=true',
  'sequence.editor=true',
  'core.askPass=',
  'core.sshCommand=false',
  'credential.helper=',
  'gpg.program=false',
  'gpg.ssh.program=false',
  'gpg.x509.program=false',
  'commit.gpgSign=false',
  'tag.gpgSign=false',
  'protocol.allow=never',
  'submodule.recurse=false',
  'gc.auto=0',
  'maintenance.auto=false',
  'safe.bareRepository=explicit',
]

const safeConfigArgs = SAFE_GIT_CONFIG.flatMap((entry) => ['-c', entry])

/** Variables of ours git may see: the identity of commits and where the person keeps their global config. */
const keptGitVariables = new Set([
  'GIT_CONFIG_GLOBAL',
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_AUTHOR_DATE',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
  'GIT_COMMITTER_DATE',
])

/**
 * The environment for git: none of our GIT_* variables (a repository location, an external
 * diff, an ssh command, config injected through GIT_CONFIG_*), no system config, no prompts, C
 * locale, literal paths.
 */
export function gitEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('GIT_') && !keptGitVariables.has(name)) continue
    if (name === 'SSH_ASKPASS') continue
    env[name] = value
  }
  return {
    ...env,
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_EDITOR: 'true',
    GIT_MERGE_AUTOEDIT: 'no',
    // Our status/diff calls must never take index.lock in a checkout the user is working in.
    GIT_OPTIONAL_LOCKS: '0',
    GIT_LITERAL_PATHSPECS: '1',
    ...extra,
  }
}

/**
 * Runs `git <args>` in `cwd` and returns its exit code and output; a non-zero exit is not an
 * error here (see `gitOk`). Throws `WorkspaceFailure` on timeout, abort or when git cannot start.
 */
export async function git(
  cwd: string,
  args: readonly string[],
  context: GitContext,
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<GitResult> {
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  const exit = await runProcess('git', [...safeConfigArgs, ...args], {
    cwd,
    // Never let git walk up from `cwd` to find a repository: a half-created or half-removed
    // worktree must fail, not silently resolve to the project (or the user's home) repository.
    env: gitEnv({ GIT_CEILING_DIRECTORIES: dirname(resolve(cwd)), ...options.env }),
    ...(options.input === undefined ? {} : { input: options.input }),
    timeoutMs: context.timeoutMs,
    signal: context.signal,
    clock: context.clock,
    onStdout: (chunk) => stdout.push(chunk),
    onStderr: (chunk) => stderr.push(chunk),
  })
  const command = `git ${args.join(' ')}`
  if (exit.spawnError) {
    const code = (exit.spawnError as NodeJS.ErrnoException).code
    if (code === 'ENOENT' && !(await isDirectory(cwd))) {
      throw new WorkspaceFailure('NOT_A_DIRECTORY', `${cwd} does not exist or is not a directory.`)
    }
    throw new WorkspaceFailure(
      'GIT_UNAVAILABLE',
      `Could not run ${command} in ${cwd}: ${exit.spawnError.message}. Install git 2.38 or newer.`,
      {
        cause: exit.spawnError,
      },
    )
  }
  if (exit.aborted) throw new WorkspaceFailure('ABORTED', `${command} in ${cwd} was aborted.`)
  if (exit.timedOut) {
    throw new WorkspaceFailure(
      'TIMEOUT',
      `${command} in ${cwd} did not finish within ${context.timeoutMs} ms and was killed.`,
    )
  }
  return {
    exitCode: exit.exitCode ?? 128,
    stdout: Buffer.concat(stdout).toString('utf8'),
    stderr: Buffer.concat(stderr).toString('utf8'),
  }
}

/** Runs git and throws `GIT_FAILED` (with its stderr) unless it exits 0; returns stdout. */
export async function gitOk(
  cwd: string,
  args: readonly string[],
  context: GitContext,
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  const result = await git(cwd, args, context, options)
  if (result.exitCode !== 0) throw gitFailure(cwd, args, result)
  return result.stdout
}

/** The `GIT_FAILED` error of a git call that did not exit 0, with its output. */
export function gitFailure(
  cwd: string,
  args: readonly string[],
  result: GitResult,
): WorkspaceFailure {
  const detail = (result.stderr.trim() || result.stdout.trim()).slice(0, 2000)
  return new WorkspaceFailure(
    'GIT_FAILED',
    `git ${args.join(' ')} failed in ${cwd} (exit ${result.exitCode}): ${detail}`,
  )
}

/** Splits NUL-terminated output (`-z`) into its fields, without the trailing empty one. */
export function splitNul(output: string): string[] {
  const fields = output.split('\0')
  if (fields.at(-1) === '') fields.pop()
  return fields
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  )
}
