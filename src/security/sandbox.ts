import { spawnSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { posix } from 'node:path'

import type { SandboxSettings } from '@anthropic-ai/claude-agent-sdk'

import { CREDENTIAL_HOME_PATHS } from './paths.js'

export interface SandboxScope {
  readonly cwd: string
  readonly projectDir: string
  readonly homeDir?: string | undefined
  /** Hosts the sandboxed network proxy lets through (e.g. the package registry); omit for Claude Code's default. */
  readonly allowedDomains?: readonly string[] | undefined
}

/**
 * The Agent SDK `sandbox` option: Claude Code runs every Bash command under bubblewrap, writing
 * only to the worktree and the project and never reading credentials. Defence in depth: the
 * policy hook decides on its own and never relies on this. Bash may not ask to leave the sandbox.
 */
export function sandboxSettings(scope: SandboxScope): SandboxSettings {
  const denyRead = scope.homeDir
    ? CREDENTIAL_HOME_PATHS.map((path) => posix.join(scope.homeDir ?? '', path))
    : []
  return {
    enabled: true,
    failIfUnavailable: false,
    autoAllowBashIfSandboxed: false,
    allowUnsandboxedCommands: false,
    filesystem: { allowWrite: [...new Set([scope.cwd, scope.projectDir])], denyRead },
    ...(scope.allowedDomains
      ? { network: { allowedDomains: [...scope.allowedDomains], allowLocalBinding: true } }
      : {}),
  }
}

/** What `autocoder doctor` reports about the OS sandbox. */
export interface SandboxStatus {
  /** bubblewrap ran a command here (so Claude Code can sandbox Bash). */
  readonly available: boolean
  readonly bwrapPath: string | null
  /** socat relays the sandbox's network proxy; without it sandboxed commands have no network. */
  readonly socatPath: string | null
  /** What was tried and what failed, for people. */
  readonly detail: string
}

/** Checks whether bubblewrap is installed and works here (`bwrap --ro-bind / / true`). */
export function detectSandbox(searchPath: string = process.env['PATH'] ?? ''): SandboxStatus {
  if (process.platform !== 'linux') {
    return {
      available: false,
      bwrapPath: null,
      socatPath: null,
      detail: `bubblewrap sandboxing is for Linux; this is ${process.platform}`,
    }
  }
  const bwrapPath = which('bwrap', searchPath)
  const socatPath = which('socat', searchPath)
  if (!bwrapPath)
    return {
      available: false,
      bwrapPath,
      socatPath,
      detail: 'bwrap not found; install the bubblewrap package',
    }
  const probe = spawnSync(
    bwrapPath,
    ['--ro-bind', '/', '/', '--dev', '/dev', '--unshare-pid', 'true'],
    { encoding: 'utf8', timeout: 10_000 },
  )
  if (probe.status !== 0) {
    const why = (probe.stderr || probe.error?.message || `exit ${String(probe.status)}`).trim()
    return {
      available: false,
      bwrapPath,
      socatPath,
      detail: `bwrap is installed but cannot create a sandbox here: ${why}`,
    }
  }
  const network = socatPath
    ? 'socat found'
    : 'socat not found: sandboxed commands will have no network (install socat)'
  return { available: true, bwrapPath, socatPath, detail: `bwrap works (${bwrapPath}); ${network}` }
}

function which(program: string, searchPath: string): string | null {
  for (const dir of searchPath.split(':')) {
    if (!dir) continue
    const candidate = posix.join(dir, program)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not in this directory; try the next one
    }
  }
  return null
}
