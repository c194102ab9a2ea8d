// The project socket: snapshot, live events, resume after a drop without gaps or repeats, events
// written by another process, malformed frames.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { unwrap } from '../../../src/core/index.js'
import { ProjectStore } from '../../../src/store/index.js'
import type { Harness } from './app-harness.js'
import { FrameClient, startHarness } from './app-harness.js'

let h: Harness
const clients: FrameClient[] = []

function connect(path: string, headers: Record<string, string> = {}): FrameClient {
  const client = new FrameClient(`${h.base.replace('http', 'ws')}${path}`, {
    ...h.auth,
    ...headers,
  })
  clients.push(client)
  return client
}

beforeEach(async () => {
  // Dev servers here are node scripts; the production command policy is tested in api-security.
  h = await startHarness({
    checkCommand: (argv) =>
      argv[0] === process.execPath
        ? { allowed: true, reason: 'node in this test' }
        : { allowed: false, reason: 'only node here' },
  })
  expect(
    (await h.request('POST', '/api/projects', { name: 'app', path: join(h.root, 'app') })).status,
  ).toBe(201)
})
afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.terminate()
  await h[Symbol.asyncDispose]()
})

describe('project socket', () => {
  it('sends a snapshot on connect and then each event as it happens', async () => {
    await h.request('POST', '/api/projects/app/features', { category: 'a', name: 'first' })
    const client = connect('/api/projects/app/ws')
    const snapshot = await client.until((frame) => frame.type === 'snapshot')
    expect(snapshot).toMatchObject({
      project: 'app',
      stats: { total: 1 },
      run: { owner: 'none', mode: 'idle' },
      devServer: { state: 'stopped' },
    })
    if (snapshot.type !== 'snapshot') throw new Error('not a snapshot')
    expect(snapshot.features).toEqual([
      { id: 1, name: 'first', category: 'a', state: 'pending', heldBy: null },
    ])
    await h.request('POST', '/api/projects/app/features', { category: 'a', name: 'second' })
    const event = await client.until((frame) => frame.type === 'event')
    expect(event).toMatchObject({
      type: 'event',
      event: { type: 'feature.created', featureIds: [2], by: 'api' },
    })
    if (event.type === 'event') expect(event.event.id).toBe(snapshot.lastEventId + 1)
  })

  it('a client that drops mid-run and resumes with its last id ends with exactly the logged events, none twice', async () => {
    await h.request('POST', '/api/projects/app/features/bulk', {
      features: Array.from({ length: 4 }, (_, i) => ({ category: 'a', name: `feature ${i + 1}` })),
    })
    const first = connect('/api/projects/app/ws?after=0')
    await first.until((frame) => frame.type === 'replayed')
    await h.request('POST', '/api/projects/app/run/start', { concurrency: 1, yolo: true })
    await first.until((frame) => frame.type === 'event' && frame.event.type === 'agent.started')
    await first.close()
    const seen = first.events()
    const lastId = seen.at(-1)!.id
    // Work goes on while the client is away.
    await new Promise((resolve) => setTimeout(resolve, 400))
    const second = connect(`/api/projects/app/ws?after=${lastId}`)
    await second.until(
      (frame) => frame.type === 'event' && frame.event.type === 'run.finished',
      30_000,
    )
    const all = [...seen, ...second.events()].map((event) => event.id)
    const opened = h.app.services.hub.open('app')
    if (!opened.ok) throw new Error(opened.error.message)
    const logged = opened.value.store.events.after(0, 100_000).map((event) => event.id)
    expect(new Set(all).size).toBe(all.length)
    expect(all).toEqual(logged)
    const replayed = second.frames.find((frame) => frame.type === 'replayed')
    expect(replayed).toMatchObject({ type: 'replayed' })
    if (replayed?.type === 'replayed') expect(replayed.count).toBeGreaterThan(0)
  })

  it('forwards events another process commits to the database', async () => {
    const client = connect('/api/projects/app/ws')
    await client.until((frame) => frame.type === 'snapshot')
    const other = unwrap(ProjectStore.open(join(h.root, 'app')))
    try {
      other.events.append({
        type: 'log',
        source: 'cli',
        level: 'info',
        text: 'written by another process',
      })
    } finally {
      other.close()
    }
    const event = await client.until((frame) => frame.type === 'event', 5_000)
    expect(event).toMatchObject({ event: { type: 'log', text: 'written by another process' } })
  })

  it("forwards the project's dev-server status and output", async () => {
    writeFileSync(
      join(h.root, 'app', 'dev.cjs'),
      "console.log('Local: http://localhost:5199/'); setInterval(() => {}, 1000)\n",
    )
    const client = connect('/api/projects/app/ws')
    await client.until((frame) => frame.type === 'snapshot')
    const started = await h.request('POST', '/api/projects/app/devserver/start', {
      command: [process.execPath, 'dev.cjs'],
    })
    expect(started.status).toBe(200)
    await client.until(
      (frame) =>
        frame.type === 'dev' && frame.event.type === 'dev.log' && frame.event.line.includes('5199'),
    )
    await client.until(
      (frame) =>
        frame.type === 'dev' &&
        frame.event.type === 'dev.status' &&
        frame.event.status.url !== null,
    )
    await h.request('POST', '/api/projects/app/devserver/stop')
    await client.until(
      (frame) =>
        frame.type === 'dev' &&
        frame.event.type === 'dev.status' &&
        frame.event.status.state === 'stopped',
    )
  })

  it('closes the socket when its project is deleted', async () => {
    const client = connect('/api/projects/app/ws')
    await client.until((frame) => frame.type === 'snapshot')
    expect((await h.request('DELETE', '/api/projects/app?confirm=app')).status).toBe(200)
    expect((await client.closed).code).toBe(4004)
    expect(client.frames.at(-1)).toMatchObject({ type: 'error', code: 'PROJECT_NOT_FOUND' })
  })

  it('answers malformed frames with an error frame and keeps the connection', async () => {
    const client = connect('/api/projects/app/ws')
    await client.until((frame) => frame.type === 'snapshot')
    client.socket.send('not json')
    client.socket.send(JSON.stringify({ type: 'subscribe', all: true }))
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true })
    client.socket.send(JSON.stringify([1, 2]))
    client.socket.send(JSON.stringify({ type: 'ping' }))
    await client.until((frame) => frame.type === 'pong')
    const errors = client.frames.filter((frame) => frame.type === 'error')
    expect(errors).toHaveLength(4)
    for (const error of errors)
      if (error.type === 'error') expect(error.message.length).toBeGreaterThan(10)
    expect(client.socket.readyState).toBe(client.socket.OPEN)
  })

  it('refuses an unknown project and a malformed resume id with an error frame and a close code', async () => {
    const unknown = connect('/api/projects/nope/ws')
    expect((await unknown.closed).code).toBe(4004)
    expect(unknown.frames[0]).toMatchObject({ type: 'error', code: 'PROJECT_NOT_FOUND' })
    const bad = connect('/api/projects/app/ws?after=-3')
    expect((await bad.closed).code).toBe(4000)
    expect(bad.frames[0]).toMatchObject({ type: 'error', code: 'INVALID_INPUT' })
  })
})
