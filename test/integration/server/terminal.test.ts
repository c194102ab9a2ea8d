import { mkdirSync, realpathSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'

import type { TerminalInfo, TerminalServerFrame } from '../../../src/core/api/index.js'
import { err, ok } from '../../../src/core/index.js'
import { startServer } from '../../../src/server/index.js'
import type { RunningServer } from '../../../src/server/index.js'
import { authHeaders } from '../../helpers/server-auth.js'
import { tempDir } from '../../helpers/tmp.js'

/** A terminal WebSocket client that collects frames and decoded output. */
class TerminalClient {
  frames: TerminalServerFrame[] = []
  output = ''
  closeCode: number | null = null
  readonly #waiters: Array<() => void> = []

  constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      const frame = JSON.parse((raw as Buffer).toString('utf8')) as TerminalServerFrame
      this.frames.push(frame)
      if (frame.type === 'output') this.output += Buffer.from(frame.data, 'base64').toString('utf8')
      this.#notify()
    })
    socket.on('close', (code) => {
      this.closeCode = code
      this.#notify()
    })
  }

  static open(url: string, headers: Record<string, string>): Promise<TerminalClient> {
    const socket = new WebSocket(url, { headers })
    const client = new TerminalClient(socket)
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client))
      socket.once('error', reject)
    })
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame))
  }

  type(text: string): void {
    this.send({ type: 'input', data: Buffer.from(text, 'utf8').toString('base64') })
  }

  /** Resolves once `predicate` holds, checked after every frame. */
  until(predicate: (client: TerminalClient) => boolean): Promise<void> {
    if (predicate(this)) return Promise.resolve()
    return new Promise((resolve) => {
      const check = (): void => {
        if (predicate(this)) resolve()
        else this.#waiters.push(check)
      }
      this.#waiters.push(check)
    })
  }

  #notify(): void {
    for (const waiter of this.#waiters.splice(0)) waiter()
  }
}

describe('terminal', () => {
  let dir: ReturnType<typeof tempDir>
  let projectDir: string
  let server: RunningServer
  const clients: TerminalClient[] = []

  beforeEach(async () => {
    dir = tempDir()
    projectDir = join(realpathSync(dir.path), 'app')
    mkdirSync(projectDir)
    server = await startServer({
      port: 0,
      shell: '/bin/sh',
      wsMaxPayloadBytes: 128 * 1024,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        ANTHROPIC_API_KEY: 'sk-ant-secret',
        HOME: projectDir,
      },
      projects: (name) =>
        name === 'app'
          ? ok({ name, dir: projectDir })
          : err('PROJECT_NOT_FOUND', `No project named ${name}.`),
      validateResponses: true,
    })
  })
  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.terminate()
    await server.close()
    dir[Symbol.dispose]()
  })

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}/api/terminal${path}`, {
      ...init,
      headers: authHeaders(server, (init.headers ?? {}) as Record<string, string>),
    })
  const info = async (response: Response | Promise<Response>) =>
    (await (await response).json()) as TerminalInfo
  const json = (body: object): RequestInit => ({
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

  async function openTab(): Promise<{ id: string; client: TerminalClient }> {
    const created = await info(api('/app', { method: 'POST', ...json({}) }))
    const client = await TerminalClient.open(
      `ws://127.0.0.1:${server.port}/api/terminal/ws/app/${created.id}`,
      authHeaders(server),
    )
    clients.push(client)
    return { id: created.id, client }
  }

  it('creates, lists, renames and deletes tabs with unguessable ids', async () => {
    const first = await info(api('/app', { method: 'POST', ...json({}) }))
    const second = await info(api('/app', { method: 'POST', ...json({ name: 'server logs' }) }))
    expect(first.id).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect([first.name, second.name]).toEqual(['Terminal 1', 'server logs'])
    const renamed = await api(`/app/${first.id}`, { method: 'PATCH', ...json({ name: 'shell' }) })
    expect((await info(renamed)).name).toBe('shell')
    expect((await api(`/app/${second.id}`, { method: 'DELETE' })).status).toBe(204)
    expect(((await (await api('/app')).json()) as TerminalInfo[]).map((t) => t.name)).toEqual([
      'shell',
    ])
    expect((await api(`/app/${second.id}`, { method: 'DELETE' })).status).toBe(404)
    expect((await api('/nope')).status).toBe(404)
  })

  it('runs a shell in the project folder without the server secrets (echo round trip)', async () => {
    const { client } = await openTab()
    client.send({ type: 'resize', cols: 100, rows: 30 })
    client.type('echo "dir=$(pwd) key=[$ANTHROPIC_API_KEY] sum=$((40+2))"\r')
    await client.until((c) => c.output.includes('sum=42'))
    expect(client.output).toContain(`dir=${projectDir} key=[] sum=42`)
    client.send({ type: 'ping' })
    await client.until((c) => c.frames.some((f) => f.type === 'pong'))
  })

  it('answers malformed frames and input before the first resize with error frames', async () => {
    const { client } = await openTab()
    client.send('not json')
    client.send({ type: 'input', data: '***' })
    client.send({ type: 'resize', cols: 'wide', rows: 5 })
    client.type('ls\r')
    await client.until((c) => c.frames.filter((f) => f.type === 'error').length === 4)
    const messages = client.frames.flatMap((f) => (f.type === 'error' ? [f.message] : []))
    expect(messages[0]).toContain('JSON')
    expect(messages[1]).toContain('frame.data')
    expect(messages[2]).toContain('frame.cols')
    expect(messages[3]).toContain('send a resize first')
    expect(client.closeCode).toBeNull()
  })

  it('refuses oversized input frames, and closes a socket that sends a frame above the size limit', async () => {
    const { client } = await openTab()
    client.send({ type: 'resize', cols: 80, rows: 24 })
    client.send({ type: 'input', data: Buffer.alloc(60 * 1024).toString('base64') })
    await client.until((c) => c.frames.some((f) => f.type === 'error'))
    expect(client.frames.find((f) => f.type === 'error')).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('frame.data'),
    })
    client.send({ type: 'input', data: Buffer.alloc(200 * 1024).toString('base64') })
    await client.until((c) => c.closeCode !== null)
    expect(client.closeCode).toBe(1009)
  })

  it('closes the socket of a tab that is deleted, and refuses unknown tabs', async () => {
    const { id, client } = await openTab()
    client.send({ type: 'resize', cols: 80, rows: 24 })
    client.type('echo ready\r')
    await client.until((c) => c.output.includes('ready'))
    await api(`/app/${id}`, { method: 'DELETE' })
    await client.until((c) => c.closeCode !== null)
    expect(client.frames.some((f) => f.type === 'exit')).toBe(true)

    const unknown = await TerminalClient.open(
      `ws://127.0.0.1:${server.port}/api/terminal/ws/app/${'x'.repeat(22)}`,
      authHeaders(server),
    )
    clients.push(unknown)
    await unknown.until((c) => c.closeCode !== null)
    expect(unknown.closeCode).toBe(4004)
    expect(unknown.frames[0]).toMatchObject({ type: 'error', code: 'TERMINAL_NOT_FOUND' })
  })

  it('refuses a terminal socket without the token (no Origin, as a script sends it) and starts no shell', async () => {
    const created = await info(api('/app', { method: 'POST', ...json({}) }))
    const url = `ws://127.0.0.1:${server.port}/api/terminal/ws/app/${created.id}`
    const status = await new Promise<number | 'open'>((resolve, reject) => {
      const socket = new WebSocket(url)
      socket.once('open', () => {
        // Were it open, this would start the shell.
        socket.send(JSON.stringify({ type: 'resize', cols: 80, rows: 24 }))
        socket.close()
        resolve('open')
      })
      socket.once('unexpected-response', (_request, response) => {
        response.resume()
        resolve(response.statusCode ?? 0)
      })
      socket.once('error', reject)
    })
    expect(status).toBe(401)
    const tabs = (await (await api('/app')).json()) as TerminalInfo[]
    expect(tabs).toEqual([expect.objectContaining({ id: created.id, running: false })])
  })
})
