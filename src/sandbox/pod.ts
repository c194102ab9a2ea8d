import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { readFileSync, readlinkSync } from 'node:fs'
import type { Readable } from 'node:stream'

import { err, ok } from '../core/index.js'
import type { Result } from '../core/index.js'
import type { SandboxError } from './types.js'

/** The port the in-sandbox relay listens on (127.0.0.1 inside the sandbox's own network). */
export const PROXY_PORT = 3128

export interface SandboxTools {
  bwrap: string
  socat: string
  nsenter: string
  env: string
}

export interface PodStartInput {
  label: string
  tools: SandboxTools
  /** The filesystem arguments (`planMounts`). */
  mountArgs: readonly string[]
  /** The proxy socket's path as seen inside. */
  proxySocketInside: string
  timeoutMs: number
}

/** A running pod: the long-lived bubblewrap whose namespaces every call joins. */
export interface Pod {
  process: ChildProcess
  /** Host pid of the pod's init (pid 1 inside); killing it ends every process inside. */
  pid: number
  /** nsenter arguments that join the pod's namespaces (user namespace too when not root). */
  joinArgs: readonly string[]
  exited: Promise<void>
}

function readInfo(stream: Readable): Promise<{ 'child-pid'?: unknown } | null> {
  return new Promise((resolve) => {
    let text = ''
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => {
      text += chunk
      try {
        resolve(JSON.parse(text) as { 'child-pid'?: unknown })
      } catch {
        // not complete yet
      }
    })
    stream.on('end', () => resolve(null))
    stream.on('error', () => resolve(null))
  })
}

function listensOnProxyPort(pid: number): boolean {
  const local = `0100007F:${PROXY_PORT.toString(16).toUpperCase().padStart(4, '0')}`
  try {
    return readFileSync(`/proc/${pid}/net/tcp`, 'utf8')
      .split('\n')
      .some((line) => {
        const fields = line.trim().split(/\s+/)
        return fields[1] === local && fields[3] === '0A'
      })
  } catch {
    return false
  }
}

function namespaceOf(pid: number | 'self', kind: string): string | null {
  try {
    return readlinkSync(`/proc/${pid}/ns/${kind}`)
  } catch {
    return null
  }
}

/**
 * Starts the pod: bubblewrap with its own network, pid, ipc and uts namespaces, no capabilities,
 * the given filesystem view and an empty environment (its /proc/1/environ is readable inside);
 * its command is the relay from 127.0.0.1:3128 inside to the host proxy's unix socket. Resolves
 * once the relay listens.
 */
export async function startPod(input: PodStartInput): Promise<Result<Pod, SandboxError>> {
  const { tools } = input
  const args = [
    '--unshare-net',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--hostname',
    'sandbox',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    '--info-fd',
    '3',
    ...input.mountArgs,
    '--chdir',
    '/',
    '--clearenv',
    '--',
    tools.socat,
    `TCP-LISTEN:${PROXY_PORT},bind=127.0.0.1,fork,reuseaddr`,
    `UNIX-CONNECT:${input.proxySocketInside}`,
  ]
  const child = spawn(tools.bwrap, args, { env: {}, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] })
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()))
  let stderr = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => (stderr += chunk.slice(0, 4000)))
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve))
  const failed = (why: string): Result<Pod, SandboxError> => {
    child.kill('SIGKILL')
    return err(
      'SANDBOX_START_FAILED',
      `The sandbox ${input.label} did not start: ${why.trim() || 'bwrap exited'}. Run \`autocoder doctor\` to test the sandbox.`,
    )
  }
  const info = await Promise.race([
    readInfo(child.stdio[3] as Readable),
    spawnError.then((error) => error),
  ])
  if (info instanceof Error) return failed(info.message)
  const pid = info?.['child-pid']
  if (typeof pid !== 'number') {
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1000))])
    return failed(stderr)
  }
  const deadline = Date.now() + input.timeoutMs
  while (!listensOnProxyPort(pid)) {
    if (child.exitCode !== null || child.signalCode !== null) return failed(stderr)
    if (Date.now() > deadline) return failed(`its network relay did not listen: ${stderr}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  const ownUserNamespace = namespaceOf(pid, 'user') !== namespaceOf('self', 'user')
  const joinArgs = [
    '-t',
    String(pid),
    ...(ownUserNamespace ? ['-U', '--preserve-credentials'] : []),
    '-n',
    '-p',
    '-m',
    '-i',
    '-u',
    '-r',
    '-w',
  ]
  return ok({ process: child, pid, joinArgs, exited })
}
