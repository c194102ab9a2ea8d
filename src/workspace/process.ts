import { spawn } from 'node:child_process'
import type { ChildProcess, SpawnOptions } from 'node:child_process'

import type { Clock } from '../core/index.js'

/** How a spawned process ended. */
export interface ProcessExit {
  exitCode: number | null
  signal: NodeJS.Signals | null
  timedOut: boolean
  aborted: boolean
  /** Set when the process could not be started at all (for example ENOENT). */
  spawnError?: Error
}

/** Starts a process: `child_process.spawn`, or one that starts it somewhere else (a sandbox). */
export type Spawner = (file: string, args: readonly string[], options: SpawnOptions) => ChildProcess

export interface ProcessOptions {
  cwd: string
  env: NodeJS.ProcessEnv
  input?: string
  timeoutMs: number
  signal?: AbortSignal | undefined
  clock: Clock
  /** Own process group, killed as a whole on timeout or abort (so `npm test` takes its children along). */
  group?: boolean
  onStdout(chunk: Buffer): void
  onStderr(chunk: Buffer): void
  /** Default `child_process.spawn`. */
  spawn?: Spawner | undefined
}

/**
 * Spawns `file` with `args` (never through a shell) and resolves when it has exited and its output
 * is drained. The timeout waits on the injected clock; timeout and abort kill with SIGKILL.
 */
export function runProcess(
  file: string,
  args: readonly string[],
  options: ProcessOptions,
): Promise<ProcessExit> {
  return new Promise((resolve) => {
    let timedOut = false
    let aborted = false
    let settled = false
    const timer = new AbortController()

    if (options.signal?.aborted) {
      resolve({ exitCode: null, signal: null, timedOut: false, aborted: true })
      return
    }
    const child = (options.spawn ?? spawn)(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: options.group === true,
      windowsHide: true,
    })

    const kill = (): void => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
      try {
        if (options.group === true) process.kill(-child.pid, 'SIGKILL')
        else child.kill('SIGKILL')
      } catch {
        // The process (group) is already gone: nothing left to kill.
      }
    }
    const onAbort = (): void => {
      aborted = true
      kill()
    }
    const finish = (exit: ProcessExit): void => {
      if (settled) return
      settled = true
      timer.abort()
      options.signal?.removeEventListener('abort', onAbort)
      resolve(exit)
    }

    options.signal?.addEventListener('abort', onAbort, { once: true })
    options.clock.sleep(options.timeoutMs, timer.signal).then(
      () => {
        timedOut = true
        kill()
      },
      () => undefined, // the timer is cancelled when the process ends first
    )

    child.stdout?.on('data', (chunk: Buffer) => options.onStdout(chunk))
    child.stderr?.on('data', (chunk: Buffer) => options.onStderr(chunk))
    child.on('error', (error) => {
      finish({ exitCode: null, signal: null, timedOut, aborted, spawnError: error })
    })
    child.on('close', (exitCode, signal) => {
      finish({ exitCode, signal, timedOut, aborted })
    })
    if (options.input !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined) // the process may exit before reading all input
      child.stdin.end(options.input)
    }
  })
}
