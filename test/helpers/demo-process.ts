import { spawn } from 'node:child_process'

import { cliArgv } from './cli.js'

/** A running `autocoder demo` in its own process group (so its claude children can be cleaned up). */
export interface DemoProcess {
  pid: number
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>
  /** Waits until stdout or stderr matches; throws with the output when the process ends first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>
  output(): string
}

export function startDemo(args: string[], env: NodeJS.ProcessEnv): DemoProcess {
  const [cmd, ...rest] = cliArgv('demo', ...args)
  const child = spawn(cmd!, rest, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  const waitFor = async (pattern: RegExp, timeoutMs = 90_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs
    while (!pattern.test(output)) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`never printed ${pattern}:\n${output}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  return { pid: child.pid!, exited, waitFor, output: () => output }
}

/** Kills the demo and everything it started (a no-op once the group is gone). */
export function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
  }
}
