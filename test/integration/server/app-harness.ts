// A real autocoder server on a random port over a temp home, with simulated agents by default.
import { mkdirSync, realpathSync } from 'node:fs'
import { join } from 'node:path'

import WebSocket from 'ws'

import type { ProjectServerFrame } from '../../../src/core/api/index.js'
import { ok, systemClock } from '../../../src/core/index.js'
import type { Clock } from '../../../src/core/index.js'
import { sharedWorkspace } from '../../../src/orchestrator/index.js'
import { startAutocoderServer } from '../../../src/server/index.js'
import type {
  AutocoderApp,
  AutocoderServerOptions,
  RunPartsFactory,
} from '../../../src/server/index.js'
import { simLauncher } from '../../fakes/sim-launcher.js'
import type { SimAct } from '../../fakes/sim-launcher.js'
import { authHeaders } from '../../helpers/server-auth.js'
import { tempDir } from '../../helpers/tmp.js'

export interface Harness extends AsyncDisposable {
  app: AutocoderApp
  /** The allowed root (the fake home directory). */
  root: string
  base: string
  /** Headers that authorise a request or socket (the server's token). */
  auth: Record<string, string>
  /** A request with the token (pass `{ authorization: '' }` in `headers` to send none). */
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: Json }>
}

/** Response bodies are checked by the tests' assertions, not by the type system. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any

/** Simulated agents: each session waits `durationMs`, then acts (default: reports every held feature passing). */
export function simParts(
  options: { durationMs?: number; act?: SimAct; clock?: Clock } = {},
): RunPartsFactory {
  return ({ open }) =>
    Promise.resolve(
      ok({
        launcher: simLauncher({
          store: open.store,
          clock: options.clock ?? systemClock,
          durationMs: () => options.durationMs ?? 300,
          // Simulated time may jump hours: the session watchdog must not fire on it.
          limits: {
            idleTimeoutMs: 24 * 3_600_000,
            sessionTimeoutMs: 24 * 3_600_000,
            interruptGraceMs: 1_000,
          },
          ...(options.act ? { act: options.act } : {}),
        }),
        workspace: sharedWorkspace(open.project.path),
      }),
    )
}

/** `runParts: null` runs real agents (the SDK launcher and git worktrees) instead of simulated ones. */
export async function startHarness(
  options: Omit<AutocoderServerOptions, 'runParts'> & { runParts?: RunPartsFactory | null } = {},
): Promise<Harness> {
  const { runParts, ...rest } = options
  const dir = tempDir()
  const root = join(realpathSync(dir.path), 'home')
  mkdirSync(root)
  const app = await startAutocoderServer({
    port: 0,
    homeDir: root,
    allowedRoots: [root],
    autocoderHome: join(realpathSync(dir.path), 'autocoder-home'),
    env: { PATH: process.env['PATH'], HOME: root },
    uiDir: null,
    validateResponses: true,
    runSettings: { leaseMs: 5_000, heartbeatMs: 200 },
    ...rest,
    ...(runParts === null ? {} : { runParts: runParts ?? simParts() }),
  })
  const base = app.url
  const auth = authHeaders(app)
  return {
    app,
    root,
    base,
    auth,
    async request(method, path, body, headers = {}) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: Object.fromEntries(
          Object.entries({
            ...auth,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...headers,
          }).filter(([, value]) => value !== ''),
        ),
        ...(body === undefined
          ? {}
          : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      })
      const text = await response.text()
      let json: unknown = null
      try {
        json = text === '' ? null : JSON.parse(text)
      } catch {
        json = text
      }
      return { status: response.status, json }
    },
    async [Symbol.asyncDispose]() {
      await app.close()
      dir[Symbol.dispose]()
    },
  }
}

/** A WebSocket client collecting every frame. */
export class FrameClient {
  readonly frames: ProjectServerFrame[] = []
  readonly socket: WebSocket
  readonly #waiters: Array<() => void> = []
  readonly opened: Promise<void>
  readonly closed: Promise<{ code: number }>

  constructor(url: string, headers: Record<string, string> = {}) {
    this.socket = new WebSocket(url, { headers })
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve())
      this.socket.once('error', reject)
    })
    this.closed = new Promise((resolve) => this.socket.once('close', (code) => resolve({ code })))
    this.socket.on('message', (data) => {
      this.frames.push(JSON.parse((data as Buffer).toString('utf8')) as ProjectServerFrame)
      for (const wake of this.#waiters.splice(0)) wake()
    })
  }

  /** Resolves when a frame matching `predicate` has arrived (or already did). */
  async until(
    predicate: (frame: ProjectServerFrame) => boolean,
    timeoutMs = 20_000,
  ): Promise<ProjectServerFrame> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.frames.find(predicate)
      if (found) return found
      if (Date.now() > deadline)
        throw new Error(
          `no matching frame within ${timeoutMs} ms; got ${this.frames.map((f) => f.type).join(',')}`,
        )
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve)
        setTimeout(resolve, 200)
      })
    }
  }

  events(): Array<{ id: number; type: string }> {
    return this.frames.flatMap((frame) => (frame.type === 'event' ? [frame.event] : []))
  }

  close(): Promise<{ code: number }> {
    this.socket.close()
    return this.closed
  }
}
