/**
 * Server benchmarks, one JSON line each:
 * - event latency from the project's bus (an event appended to the store) to a WebSocket client
 *   of the project socket, p50/p99 (goal: p99 under 50 ms);
 * - requests per second of the feature list over HTTP with 1,000 features on the board.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

import WebSocket from 'ws'

import { startAutocoderServer } from '../src/server/index.js'
import { percentile } from './stats.js'

const EVENTS = 2_000
const WARMUP_EVENTS = 200
const FEATURES = 1_000
const CLIENTS = 8
const DURATION_MS = 3_000
const LATENCY_GOAL_P99_MS = 50

const round = (value: number): number => Math.round(value * 1000) / 1000

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'autocoder-bench-server-')))
const root = join(dir, 'home')
mkdirSync(root)
const app = await startAutocoderServer({
  port: 0,
  homeDir: root,
  allowedRoots: [root],
  autocoderHome: join(dir, 'autocoder-home'),
  env: { PATH: process.env['PATH'] },
  uiDir: null,
})
try {
  // Every request and socket carries the server's token, as the UI's cookie does.
  const auth = { authorization: `Bearer ${app.token}` }
  const post = (path: string, body: unknown) =>
    fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  await post('/api/projects', { name: 'bench', path: join(root, 'bench') })
  const opened = app.services.hub.open('bench')
  if (!opened.ok) throw new Error(opened.error.message)
  const { store } = opened.value

  // 1. Bus -> WebSocket: one event at a time, timed from append to the client's message.
  const socket = new WebSocket(`${app.url.replace('http', 'ws')}/api/projects/bench/ws`, {
    headers: auth,
  })
  const pending = new Map<number, { at: number; done: () => void }>()
  socket.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString('utf8')) as { type: string; event?: { id: number } }
    if (frame.type !== 'event' || !frame.event) return
    const waiter = pending.get(frame.event.id)
    if (!waiter) return
    pending.delete(frame.event.id)
    waiter.at = performance.now() - waiter.at
    waiter.done()
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  const latencies: number[] = []
  for (let i = 0; i < WARMUP_EVENTS + EVENTS; i++) {
    const started = performance.now()
    const record = { at: started, done: () => undefined as void }
    const received = new Promise<void>((resolve) => (record.done = resolve))
    const event = store.events.append({
      type: 'log',
      source: 'bench',
      level: 'info',
      text: `event ${i}`,
    })
    pending.set(event.id, record)
    // Delivery is synchronous on the bus; the socket write may already have been queued.
    await received
    if (i >= WARMUP_EVENTS) latencies.push(record.at)
  }
  socket.close()
  latencies.sort((a, b) => a - b)
  const p99 = percentile(latencies, 99)
  process.stdout.write(
    `${JSON.stringify({
      bench: 'server',
      op: 'event_latency_bus_to_websocket',
      events: EVENTS,
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(p99),
      goalP99Ms: LATENCY_GOAL_P99_MS,
      ok: p99 < LATENCY_GOAL_P99_MS,
    })}\n`,
  )

  // 2. The feature list with 1,000 features: requests per second from concurrent keep-alive clients.
  await post('/api/projects/bench/features/bulk', {
    features: Array.from({ length: FEATURES }, (_, i) => ({
      category: `c${i % 10}`,
      name: `feature ${i + 1}`,
      description: 'a feature of the benchmark board with a short description',
      steps: ['open the page', 'check the result'],
      dependencies: i > 0 && i % 3 === 0 ? [i] : [],
    })),
  })
  const url = `${app.url}/api/projects/bench/features`
  for (let i = 0; i < 20; i++) await (await fetch(url, { headers: auth })).arrayBuffer()
  const times: number[] = []
  let bytes = 0
  const until = performance.now() + DURATION_MS
  const client = async (): Promise<void> => {
    while (performance.now() < until) {
      const started = performance.now()
      const response = await fetch(url, { headers: auth })
      bytes = (await response.arrayBuffer()).byteLength
      if (response.status !== 200) throw new Error(`feature list answered ${response.status}`)
      times.push(performance.now() - started)
    }
  }
  const began = performance.now()
  await Promise.all(Array.from({ length: CLIENTS }, client))
  const elapsedS = (performance.now() - began) / 1000
  times.sort((a, b) => a - b)
  process.stdout.write(
    `${JSON.stringify({
      bench: 'server',
      op: 'feature_list_requests_per_second',
      features: FEATURES,
      clients: CLIENTS,
      requests: times.length,
      responseBytes: bytes,
      requestsPerSecond: Math.round(times.length / elapsedS),
      p50Ms: round(percentile(times, 50)),
      p99Ms: round(percentile(times, 99)),
    })}\n`,
  )
} finally {
  await app.close()
  rmSync(dir, { recursive: true, force: true })
}
