import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'

import { openSandbox } from '../../../src/sandbox/index.js'
import type { OpenSandboxOptions, Sandbox, SandboxSpec } from '../../../src/sandbox/index.js'
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

/**
 * Opens a sandbox whose only writable folder is `work` (PATH /usr/bin:/bin unless `spec` says
 * otherwise), or throws: for tests whose subject is not the spec.
 */
export async function openWorkSandbox(
  label: string,
  work: string,
  spec: Partial<SandboxSpec> = {},
  options: OpenSandboxOptions = {},
): Promise<Sandbox> {
  const opened = await openSandbox(
    {
      label,
      writable: [work],
      readOnly: [],
      hidden: [],
      allowedHosts: [],
      env: { PATH: '/usr/bin:/bin' },
      ...spec,
    },
    options,
  )
  if (!opened.ok) throw new Error(opened.error.message)
  return opened.value
}

/** Host pids whose command line contains `text` (the host sees every process; pgrep not itself). */
export function hostPids(text: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', text], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number)
  } catch {
    return []
  }
}

/** Waits until `check` holds, polling every 50 ms; throws after `timeoutMs`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
