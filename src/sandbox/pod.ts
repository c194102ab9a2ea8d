import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { fstatSync, openSync, readFileSync, statSync } from 'node:fs'
import type { Readable } from 'node:stream'

import { err, ok } from '../core/index.js'
import type { Result } from '../core/index.js'
import type { SandboxError } from './types.js'

/** The port the in-sandbox relay listens on (127.0.0.1 inside the sandbox's own network). */
export const PROXY_PORT = 3128

/** The programs the Linux sandbox runs (absolute paths). */
export interface SandboxTools {
  bwrap: string
  socat: string
  nsenter: string
  setpriv: string
  unshare: string
  setsid: string
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
  /**
   * nsenter arguments that join all the pod's namespaces and its root; then `-W DIR --`, which
   * enters DIR inside. Never `--wd=DIR`: nsenter opens that in the caller's mount namespace, and a
   * working directory there is a way out (/proc/PID/cwd).
   */
  joinArgs: readonly string[]
  /** nsenter arguments that join only its user and network namespaces. */
  networkJoinArgs: readonly string[]
  exited: Promise<void>
  /**
   * A descriptor of ours on the pod's mount namespace: `/proc/<our pid>/fd/<it>` names the pod for
   * as long as we live, so a call can check that `pid` is still the pod and not a reused number.
   */
  namespaceFd: number
  /** Whether `pid` still is the pod (its mount namespace is the one we hold). */
  isAlive(): boolean
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

/**
 * The command that starts the pod's bubblewrap. As root: its own user namespace in which no
 * further one may be made (`--disable-userns`). As another user: bubblewrap runs as root of a
 * user namespace made by `unshare --map-root-user`, so it owns every namespace of the pod and
 * calls can join them all (unprivileged bubblewrap would nest a second user namespace that
 * nothing can enter); making a nested one inside fails there because nothing inside may write
 * a uid map.
 */
function podCommand(tools: SandboxTools, isRoot: boolean): { file: string; args: string[] } {
  if (isRoot) return { file: tools.bwrap, args: ['--unshare-user', '--disable-userns'] }
  return { file: tools.unshare, args: ['--user', '--map-root-user', '--', tools.bwrap] }
}

/** The bubblewrap arguments of the pod: its namespaces, the filesystem view and the relay as pid 1. */
function podArgs(input: PodStartInput, prefix: readonly string[]): string[] {
  return [
    ...prefix,
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
    // Our shell is pid 1 itself: the kernel delivers no signal from inside to a namespace's init
    // that it has no handler for, so `kill -9 -1` inside cannot end the pod. It restarts the relay
    // if that is killed and reaps orphans while it waits.
    '--as-pid-1',
    '--',
    '/bin/sh',
    '-c',
    `while :; do ${input.tools.socat} TCP-LISTEN:${PROXY_PORT},bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:${input.proxySocketInside}; sleep 0.2; done`,
  ]
}

/** The pod's bubblewrap as it starts: the process, its end, and what it said on stderr. */
interface Starting {
  readonly child: ChildProcess
  readonly exited: Promise<void>
  readonly stderr: () => string
  /** Kills the half-started pod and says why it did not start. */
  failed(why: string): { ok: false; error: SandboxError }
  /**
   * The same, with what bubblewrap said once it ended: its stderr may still be in the pipe when
   * it has exited (waits at most a second for the pipe to close).
   */
  ended(): Promise<{ ok: false; error: SandboxError }>
}

function spawnPod(input: PodStartInput): Starting {
  const command = podCommand(input.tools, process.geteuid?.() === 0)
  const child = spawn(command.file, podArgs(input, command.args), {
    env: {},
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()))
  let stderr = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => (stderr += chunk.slice(0, 4000)))
  const failed = (why: string): { ok: false; error: SandboxError } => {
    child.kill('SIGKILL')
    return err(
      'SANDBOX_START_FAILED',
      `The sandbox ${input.label} did not start: ${why.trim() || 'bwrap exited'}. Run \`autocoder doctor\` to test the sandbox.`,
    )
  }
  return {
    child,
    exited,
    stderr: () => stderr,
    failed,
    ended: async () => {
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1000))])
      return failed(stderr)
    },
  }
}

/** The pod's host pid from bubblewrap's info descriptor, or why it did not come. */
async function podPid(starting: Starting): Promise<Result<number, SandboxError>> {
  const { child } = starting
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve))
  const info = await Promise.race([
    readInfo(child.stdio[3] as Readable),
    spawnError.then((error) => error),
  ])
  if (info instanceof Error) return starting.failed(info.message)
  const pid = info?.['child-pid']
  if (typeof pid === 'number') return ok(pid)
  return starting.ended()
}

/** Waits until the relay inside listens, the pod ends or the time is up. */
async function relayListening(
  starting: Starting,
  pid: number,
  timeoutMs: number,
): Promise<Result<void, SandboxError>> {
  const { child } = starting
  const deadline = Date.now() + timeoutMs
  while (!listensOnProxyPort(pid)) {
    if (child.exitCode !== null || child.signalCode !== null) return starting.ended()
    if (Date.now() > deadline)
      return starting.failed(`its network relay did not listen: ${starting.stderr()}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  return ok(undefined)
}

/** Holds the pod's mount namespace open, so that a reused pid is never taken for the pod. */
function holdNamespace(
  starting: Starting,
  pid: number,
): Result<Pick<Pod, 'namespaceFd' | 'isAlive'>, SandboxError> {
  let namespaceFd: number
  try {
    namespaceFd = openSync(`/proc/${pid}/ns/mnt`, 'r')
  } catch (error) {
    return starting.failed(`its namespaces vanished: ${(error as Error).message}`)
  }
  const namespace = fstatSync(namespaceFd).ino
  const isAlive = (): boolean => {
    try {
      return statSync(`/proc/${pid}/ns/mnt`).ino === namespace
    } catch {
      return false
    }
  }
  return ok({ namespaceFd, isAlive })
}

/**
 * Starts the pod: bubblewrap with its own user, network, pid, ipc and uts namespaces, no
 * capabilities, the given filesystem view and an empty environment (its /proc/1/environ is
 * readable inside); its pid 1 keeps the relay from 127.0.0.1:3128 inside to the host proxy's
 * unix socket running. Resolves once the relay listens.
 */
export async function startPod(input: PodStartInput): Promise<Result<Pod, SandboxError>> {
  for (let attempt = 1; ; attempt++) {
    const started = await startPodOnce(input)
    if (started.ok || attempt >= START_TRIES || !boundFileReplaced(started.error.message))
      return started
  }
}

/** How many times a pod is started when a file it binds was replaced meanwhile (see below). */
const START_TRIES = 5

/**
 * Whether bubblewrap failed while binding a path: git rewrites `.git/config` by renaming a new
 * file over it (`git config`, `git branch -d` do), and binding the old file, gone in that instant,
 * fails in one of several ways ("Unable to mount source on destination: No such file or
 * directory", "Unable to find ... in mount table", a failed read-only remount). The next start
 * finds the new file. A path that is really missing fails earlier ("Can't find source path"),
 * and is not tried again.
 */
function boundFileReplaced(message: string): boolean {
  return /\bbwrap: Can't bind mount \//.test(message)
}

async function startPodOnce(input: PodStartInput): Promise<Result<Pod, SandboxError>> {
  const starting = spawnPod(input)
  const pid = await podPid(starting)
  if (!pid.ok) return pid
  const listening = await relayListening(starting, pid.value, input.timeoutMs)
  if (!listening.ok) return listening
  const held = holdNamespace(starting, pid.value)
  if (!held.ok) return held
  const user = ['-t', String(pid.value), '-U', '--preserve-credentials']
  return ok({
    ...held.value,
    process: starting.child,
    pid: pid.value,
    joinArgs: [...user, '-n', '-p', '-m', '-i', '-u', '-r'],
    networkJoinArgs: [...user, '-n'],
    exited: starting.exited,
  })
}
