import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import type { Server, Socket } from 'node:net'

import { err, ok } from '../core/index.js'
import type { Result } from '../core/index.js'
import type { SandboxTools } from './pod.js'
import type { SandboxError } from './types.js'

/** A sandbox port reachable from the host: a host listener and the relay inside the sandbox's network. */
export interface PortForward {
  close(): Promise<void>
}

export interface PortForwardInput {
  label: string
  port: number
  tools: SandboxTools
  /** nsenter arguments that reach the pod's network (and user) namespace only. */
  networkJoinArgs: readonly string[]
  socketPath: string
  timeoutMs: number
}

/** Whether a unix socket accepts a connection now (the probe is closed at once). */
function accepts(socketPath: string): Promise<boolean> {
  if (!existsSync(socketPath)) return Promise.resolve(false)
  return new Promise((resolve) => {
    const probe = connect(socketPath)
    probe.once('connect', () => {
      probe.destroy()
      resolve(true)
    })
    probe.once('error', () => {
      probe.destroy()
      resolve(false)
    })
  })
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy()
  return new Promise((resolve) => server.close(() => resolve()))
}

/**
 * Forwards host 127.0.0.1:<port> to 127.0.0.1:<port> inside the sandbox: socat in the sandbox's
 * network namespace (not its pid namespace, so nothing inside can see or signal it) listens on a
 * host unix socket; a host TCP listener connects each client to it.
 */
export async function forwardPort(
  input: PortForwardInput,
): Promise<Result<PortForward, SandboxError>> {
  const failed = (why: string): Result<PortForward, SandboxError> =>
    err(
      'SANDBOX_PORT_FAILED',
      `Could not expose port ${input.port} of the sandbox ${input.label}: ${why}`,
    )
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    sockets.add(client)
    const upstream = connect(input.socketPath)
    sockets.add(upstream)
    client.on('close', () => {
      sockets.delete(client)
      upstream.destroy()
    })
    upstream.on('close', () => {
      sockets.delete(upstream)
      client.destroy()
    })
    client.on('error', () => client.destroy())
    upstream.on('error', () => upstream.destroy())
    client.pipe(upstream).pipe(client)
  })
  const listening = await new Promise<Error | null>((resolve) => {
    server.once('error', resolve)
    server.listen(input.port, '127.0.0.1', () => resolve(null))
  })
  if (listening) {
    const code = (listening as NodeJS.ErrnoException).code
    return failed(
      code === 'EADDRINUSE'
        ? `port ${input.port} is already in use on the host; stop what uses it or pick another port.`
        : listening.message,
    )
  }
  const relay: ChildProcess = spawn(
    input.tools.nsenter,
    [
      ...input.networkJoinArgs,
      '--',
      // Dies with us: a relay left behind would keep the pod's network (and its port) alive.
      input.tools.setpriv,
      '--pdeathsig=KILL',
      '--',
      input.tools.socat,
      `UNIX-LISTEN:${input.socketPath},fork,mode=600`,
      `TCP:127.0.0.1:${input.port}`,
    ],
    { env: {}, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let stderr = ''
  relay.stderr?.setEncoding('utf8')
  relay.stderr?.on('data', (chunk: string) => (stderr += chunk.slice(0, 2000)))
  relay.on('error', (error) => (stderr += error.message))
  const relayExited = new Promise<void>((resolve) => relay.once('close', () => resolve()))
  const deadline = Date.now() + input.timeoutMs
  // The socket file appears at bind, a moment before the relay listens: wait until it accepts.
  while (!(await accepts(input.socketPath))) {
    if (relay.exitCode !== null || relay.signalCode !== null || Date.now() > deadline) {
      relay.kill('SIGKILL')
      await closeServer(server, sockets)
      return failed(`its relay did not start: ${stderr.trim() || 'timed out'}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  return ok({
    close: async () => {
      relay.kill('SIGKILL')
      await Promise.all([closeServer(server, sockets), relayExited])
    },
  })
}
