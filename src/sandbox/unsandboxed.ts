import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

import { err, ok } from '../core/index.js'
import type { Result } from '../core/index.js'
import { makePrivateRoot } from './private-root.js'
import { enterCall, refusalText, shellQuote } from './spec.js'
import type { Sandbox, SandboxError, SandboxSpawnOptions, SandboxSpec } from './types.js'

/**
 * No wall, for a person who explicitly accepted the risk: the same interface, processes run on
 * the host with the spec's environment (and a private TMPDIR). `close()` ends the processes
 * started through `spawn` (their process groups when detached); background processes left by
 * shell commands are not tracked.
 */
export function openUnsandboxed(spec: SandboxSpec, hostPath: string | undefined): Sandbox {
  const root = makePrivateRoot('unsandboxed')
  const privateTmp = join(root, 'tmp')
  mkdirSync(privateTmp, { mode: 0o700 })
  const env: Record<string, string> = {
    ...spec.env,
    PATH: spec.env['PATH'] ?? hostPath ?? '/usr/bin:/bin',
    HOME: spec.env['HOME'] ?? homedir(),
    TMPDIR: privateTmp,
  }
  const enter = join(root, 'enter')
  const assignments = Object.entries(env).map(([name, value]) => shellQuote(`${name}=${value}`))
  writeFileSync(
    enter,
    [
      `# autocoder, unsandboxed (the risk was accepted): runs "$2" (printf %b text) with bash from directory "$1".`,
      `cd -- "$1" || exit 1`,
      'printf -v command %b "$2"',
      `exec /usr/bin/env -i ${assignments.join(' ')} /bin/bash -c -- "$command"`,
      '',
    ].join('\n'),
    { mode: 0o500 },
  )
  /** Each child started through `spawn`, and whether it leads its own process group. */
  const children = new Map<ChildProcess, boolean>()
  let closing: Promise<void> | null = null
  return {
    kind: 'unsandboxed',
    label: spec.label,
    wrapShellCommand(command, cwd) {
      if (closing) return refusalText(spec.label, 'the sandbox is closed; start a new session.')
      return enterCall(spec.label, enter, command, cwd)
    },
    spawn(argv: readonly string[], options: SandboxSpawnOptions) {
      if (closing) throw new Error(`SANDBOX_CLOSED: the sandbox ${spec.label} is closed`)
      const [file, ...args] = argv
      if (file === undefined) throw new Error('sandbox spawn needs a program')
      const child = spawn(file, args, {
        cwd: options.cwd,
        env: { ...env, ...options.env },
        stdio: options.stdio ?? 'pipe',
        detached: options.detached ?? false,
      })
      children.set(child, options.detached ?? false)
      child.once('close', () => children.delete(child))
      return child
    },
    exposePort(_port: number): Promise<Result<void, SandboxError>> {
      if (closing)
        return Promise.resolve(err('SANDBOX_CLOSED', `The sandbox ${spec.label} is closed.`))
      // Processes share the host's network: the port is reachable as it is.
      return Promise.resolve(ok(undefined))
    },
    close() {
      closing ??= (async () => {
        await Promise.all(
          [...children].map(async ([child, leader]) => {
            const exited = new Promise<void>((resolve) => child.once('close', () => resolve()))
            try {
              if (child.pid !== undefined) process.kill(leader ? -child.pid : child.pid, 'SIGKILL')
            } catch {
              // already gone
            }
            if (child.exitCode === null && child.signalCode === null) await exited
          }),
        )
        rmSync(root, { recursive: true, force: true })
      })()
      return closing
    },
  }
}
