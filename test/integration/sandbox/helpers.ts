import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'

import type { Sandbox } from '../../../src/sandbox/index.js'
import { DEFAULT_TOOL_PATH, findSandboxTools } from '../../../src/sandbox/find-tools.js'

/** Why the sandbox tests cannot run here, or null when bwrap, socat and nsenter are installed. */
export const skipReason: string | null =
  process.platform !== 'linux'
    ? `bubblewrap sandbox tests need Linux (this is ${process.platform})`
    : (() => {
        const tools = findSandboxTools(`${DEFAULT_TOOL_PATH}:${process.env['PATH'] ?? ''}`)
        return tools.ok ? null : `bubblewrap sandbox tests need ${tools.missing.join(', ')}`
      })()

/**
 * A scratch folder outside /tmp (the sandbox has its own /tmp, and canaries must be visible
 * inside to prove they are read-only rather than merely absent).
 */
export function scratchDir(prefix: string): { path: string } & Disposable {
  const path = mkdtempSync(join('/var/tmp', prefix))
  return { path, [Symbol.dispose]: () => rmSync(path, { recursive: true, force: true }) }
}

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs shell text on the host the way the Bash tool would (an environment with a secret in it). */
export function runHostShell(
  text: string,
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn('/bin/bash', ['-c', text], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

/** Runs `command` inside through `wrapShellCommand`, as the Bash tool would. */
export function runWrapped(
  sandbox: Sandbox,
  command: string,
  cwd: string,
  env: Record<string, string> = {},
): Promise<RunResult> {
  return runHostShell(sandbox.wrapShellCommand(command, cwd), env)
}

/** Runs argv inside through `spawn` and collects its output. */
export function runSpawned(
  sandbox: Sandbox,
  argv: readonly string[],
  cwd: string,
  env?: Record<string, string>,
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = sandbox.spawn(argv, { cwd, ...(env ? { env } : {}) })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** A TCP port free on the host's loopback right now (for servers inside that get exposed). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}
