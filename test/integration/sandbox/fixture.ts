import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import type { Server } from 'node:net'
import { join } from 'node:path'

import { openSandbox } from '../../../src/sandbox/index.js'
import type { Sandbox, SandboxSpec } from '../../../src/sandbox/index.js'
import { runSpawned, runWrapped, scratchDir } from './helpers.js'
import type { RunResult } from './helpers.js'

/** A loopback TCP server on the host that counts every connection it gets. */
export interface CountingServer {
  port: number
  connections: number
  close(): Promise<void>
}

export async function countingServer(reply: string): Promise<CountingServer> {
  const counter = { port: 0, connections: 0 }
  const server: Server = createServer((socket) => {
    counter.connections++
    socket.on('error', () => socket.destroy())
    socket.resume()
    socket.end(`HTTP/1.0 200 OK\r\ncontent-type: text/plain\r\n\r\n${reply}`)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  counter.port = typeof address === 'object' && address !== null ? address.port : 0
  return Object.assign(counter, {
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  })
}

/**
 * A project in a scratch folder with canaries around it: a folder outside that must stay as it
 * is, a fake home with keys and a fake AUTOCODER_HOME whose bytes must never be read inside, a
 * sleeper process on the host, a loopback server standing in for the autocoder server, and
 * two more loopback servers, one allowed through the proxy as host:port and one not.
 */
export interface Canaries {
  root: string
  project: string
  outside: string
  victim: string
  victimBytes: string
  fakeHome: string
  autocoderHome: string
  /** Bytes of every secret file: none may ever appear inside. */
  secret: string
  /** A variable in the caller's environment (the Bash tool's, the orchestrator's). */
  envSecret: string
  sleeper: ChildProcess
  autocoderServer: CountingServer
  allowedServer: CountingServer
  otherServer: CountingServer
  spec: SandboxSpec
  dispose(): Promise<void>
}

export async function makeCanaries(label: string): Promise<Canaries> {
  const scratch = scratchDir(`autocoder-sbx-${label}-`)
  const root = scratch.path
  const secret = `CANARY-SECRET-${randomBytes(8).toString('hex')}`
  const envSecret = `CANARY-ENV-${randomBytes(8).toString('hex')}`
  const project = join(root, 'project')
  const outside = join(root, 'outside')
  const fakeHome = join(root, 'home')
  const autocoderHome = join(fakeHome, '.autocoder')
  for (const dir of [
    join(project, '.git', 'hooks'),
    outside,
    join(fakeHome, '.ssh'),
    join(fakeHome, '.aws'),
    autocoderHome,
  ])
    mkdirSync(dir, { recursive: true })
  writeFileSync(join(project, '.git', 'config'), '[core]\n\trepositoryformatversion = 0\n')
  writeFileSync(join(project, 'package.json'), '{"name":"p"}\n')
  const victim = join(outside, 'victim.txt')
  const victimBytes = 'untouched\n'
  writeFileSync(victim, victimBytes)
  writeFileSync(join(fakeHome, '.ssh', 'id_rsa'), `-----BEGIN KEY-----\n${secret}\n`)
  writeFileSync(join(fakeHome, '.npmrc'), `//registry.invalid/:_authToken=${secret}\n`)
  writeFileSync(join(fakeHome, '.aws', 'credentials'), `aws_secret_access_key=${secret}\n`)
  writeFileSync(join(autocoderHome, 'registry.db'), `SQLite format 3\0${secret}`)
  const sleeper = spawn('sleep', ['3600'], { stdio: 'ignore' })
  const [autocoderServer, allowedServer, otherServer] = await Promise.all([
    countingServer('autocoder-server'),
    countingServer('allowed-server-ok'),
    countingServer('other-server'),
  ])
  const spec: SandboxSpec = {
    label,
    writable: [project],
    readOnly: [join(project, '.git', 'config'), join(project, '.git', 'hooks')],
    hidden: [
      join(fakeHome, '.ssh'),
      join(fakeHome, '.npmrc'),
      join(fakeHome, '.aws'),
      autocoderHome,
    ],
    allowedHosts: [`127.0.0.1:${allowedServer.port}`],
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8' },
  }
  return {
    root,
    project,
    outside,
    victim,
    victimBytes,
    fakeHome,
    autocoderHome,
    secret,
    envSecret,
    sleeper,
    autocoderServer,
    allowedServer,
    otherServer,
    spec,
    dispose: async () => {
      sleeper.kill('SIGKILL')
      await Promise.all([autocoderServer, allowedServer, otherServer].map((s) => s.close()))
      scratch[Symbol.dispose]()
    },
  }
}

export async function openFor(canaries: Canaries): Promise<Sandbox> {
  const opened = await openSandbox(canaries.spec)
  if (!opened.ok) throw new Error(opened.error.message)
  return opened.value
}

/** The outside folder holds only the victim file, unchanged. */
export function outsideUntouched(canaries: Canaries): { entries: string[]; victim: string } {
  return {
    entries: readdirSync(canaries.outside),
    victim: readFileSync(canaries.victim, 'utf8'),
  }
}

export type Way = 'wrapShellCommand' | 'spawn'
export const WAYS: readonly Way[] = ['wrapShellCommand', 'spawn']

/** Runs bash text inside one way or the other, with a secret in the caller's environment. */
export function attack(
  sandbox: Sandbox,
  canaries: Canaries,
  way: Way,
  command: string,
): Promise<RunResult> {
  return way === 'wrapShellCommand'
    ? runWrapped(sandbox, command, canaries.project, { CALLER_SECRET: canaries.envSecret })
    : runSpawned(sandbox, ['/bin/bash', '-c', command], canaries.project, {
        CALLER_SECRET_SPAWN: 'fine-to-pass',
      })
}

/** True when the sleeper on the host is still alive. */
export function sleeperAlive(canaries: Canaries): boolean {
  try {
    process.kill(canaries.sleeper.pid ?? -1, 0)
    return canaries.sleeper.exitCode === null && canaries.sleeper.signalCode === null
  } catch {
    return false
  }
}
