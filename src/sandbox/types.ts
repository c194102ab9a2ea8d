import type { ChildProcess, StdioOptions } from 'node:child_process'

import type { AppError, Result } from '../core/index.js'

/** What one sandbox may see and reach. Every path is absolute; the launcher adds HOME, TMPDIR, PATH and the proxy. */
export interface SandboxSpec {
  /** Agent id, 'merge-check', 'dev-server', ...: named in logs and errors. */
  label: string
  /** Directories bound read-write (the worktree; what else is the caller's decision). */
  writable: readonly string[]
  /** Paths forced read-only even inside writable ones (e.g. `<repo>/.git/config`, `.git/hooks`). */
  readOnly: readonly string[]
  /** Paths replaced by empty ones (credential folders, AUTOCODER_HOME, other projects, `<project>/.autocoder`). */
  hidden: readonly string[]
  /**
   * Paths shown read-only even inside a hidden one (the project or Node's install folder inside
   * the home, which the launcher always hides); hidden paths deeper inside stay hidden.
   */
  readable?: readonly string[] | undefined
  /** `host`, `*.domain` or `host:port` reachable through the proxy; nothing else is. */
  allowedHosts: readonly string[]
  /** The whole environment inside besides what the launcher adds (HOME, TMPDIR, PATH, proxy variables). */
  env: Readonly<Record<string, string>>
}

export type SandboxKind = 'bubblewrap' | 'seatbelt' | 'unsandboxed'

export interface SandboxSpawnOptions {
  cwd: string
  /** Added to (and overriding) `spec.env` for this process. */
  env?: Readonly<Record<string, string>>
  stdio?: StdioOptions
  /** Own process group on the host side, so a caller can signal the group. */
  detached?: boolean
}

/** A running sandbox: every process started through it is inside the same wall. */
export interface Sandbox {
  readonly kind: SandboxKind
  readonly label: string
  /**
   * Shell text that runs `command` (bash syntax) inside the sandbox from `cwd`: what the Bash tool
   * executes instead. Processes it leaves running in the background stay up until `close()`.
   * A command the sandbox cannot carry (a NUL byte) becomes text that prints why and fails.
   */
  wrapShellCommand(command: string, cwd: string): string
  /** Starts argv inside (check command, init.sh, dev server, an MCP server). Killing it ends its whole tree. */
  spawn(argv: readonly string[], options: SandboxSpawnOptions): ChildProcess
  /** Makes a TCP port that a process inside listens on reachable from the host at 127.0.0.1:<port>. */
  exposePort(port: number): Promise<Result<void, SandboxError>>
  /** Ends every process inside and removes the private temp folder. Idempotent. */
  close(): Promise<void>
}

export interface OpenSandboxOptions {
  /** The person explicitly accepted the risk: kind 'unsandboxed', same interface, no wall. */
  unsandboxed?: boolean
  /** Where the sandbox's programs are looked up (default: /usr/bin:/bin:/usr/sbin:/sbin, then PATH). */
  searchPath?: string
}

/** The closed set of sandbox failure codes. */
export const SANDBOX_ERROR_CODES = [
  /** The platform's sandbox tool is missing or cannot make a sandbox here (the message says what to install). */
  'SANDBOX_UNAVAILABLE',
  /** The tool is there but this sandbox did not start (a bad spec path, a crash): the message has its output. */
  'SANDBOX_START_FAILED',
  /** A port could not be exposed on the host (in use, or the sandbox is closed). */
  'SANDBOX_PORT_FAILED',
  /** The sandbox was used after `close()`. */
  'SANDBOX_CLOSED',
  /** The spec is invalid (a relative path, an empty label, a bad host pattern). */
  'SANDBOX_BAD_SPEC',
  /** An allowed-host entry is not a host name or pattern. */
  'BAD_HOST',
  /** The sandbox's network proxy could not listen. */
  'PROXY_LISTEN_FAILED',
] as const
export type SandboxErrorCode = (typeof SANDBOX_ERROR_CODES)[number]

export type SandboxError = AppError<SandboxErrorCode>

/** One check of `probeSandbox()`. */
export interface SandboxProbeCheck {
  name: string
  ok: boolean
  detail: string
}

/** What `probeSandbox()` found by really starting a sandbox. */
export interface SandboxProbe {
  /** Every check passed: agents can be contained here. */
  ok: boolean
  kind: SandboxKind
  checks: readonly SandboxProbeCheck[]
  /** Programs that are missing (e.g. `bwrap`, `socat`). */
  missing: readonly string[]
  /** What to do when not ok (e.g. `apt-get install bubblewrap socat`). */
  fix: string | null
}
