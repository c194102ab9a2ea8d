// The offline demo driven through the API alone: the scripted model plays the demo's initializer
// and coding agents (the real claude binary, feature tools, security hook and git worktrees do
// the rest); the run is started, paused, resumed and watched over HTTP and the project socket.
import { join } from 'node:path'

import { afterEach, describe, expect, it } from 'vitest'

import {
  DEMO_LAUNCHER_OPTIONS,
  DEMO_MODEL,
  prepareDemoProject,
  startDemoModel,
} from '../../../src/demo/index.js'
import type { DemoModel } from '../../../src/demo/index.js'
import { unwrap } from '../../../src/core/index.js'
import type { Harness } from './app-harness.js'
import { FrameClient, startHarness } from './app-harness.js'

const FEATURES = 3
let model: DemoModel | undefined
let h: Harness | undefined

afterEach(async () => {
  await h?.[Symbol.asyncDispose]()
  await model?.close()
  h = undefined
  model = undefined
})

describe('the offline demo through the API', () => {
  it('is started, paused, resumed and watched until every feature passes', async () => {
    h = await startHarness({
      runParts: null,
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'] },
      runSettings: { leaseMs: 30_000, heartbeatMs: 1_000 },
      // As `autocoder demo`: prompt markers for the scripted model, no browser.
      launcher: DEMO_LAUNCHER_OPTIONS,
    })
    const api = h
    // The demo folder (bundled spec, check command) as `autocoder demo` prepares it, then registered.
    const projectDir = join(api.root, 'demo')
    unwrap(prepareDemoProject(projectDir, { features: FEATURES }))
    model = unwrap(await startDemoModel(projectDir))
    expect(
      (await api.request('POST', '/api/projects/import', { name: 'demo', path: projectDir }))
        .status,
    ).toBe(201)
    // The provider is a setting like any other: the scripted model's URL and a placeholder key.
    const settings = await api.request('PATCH', '/api/settings', {
      anthropic_base_url: model.url,
      anthropic_api_key: 'autocoder-demo',
      model: DEMO_MODEL,
    })
    expect(settings.status).toBe(200)

    const watcher = new FrameClient(
      `${api.base.replace('http', 'ws')}/api/projects/demo/ws?after=0`,
      api.auth,
    )
    await watcher.until((frame) => frame.type === 'replayed')
    const started = await api.request('POST', '/api/projects/demo/run/start', {
      concurrency: 1,
      yolo: true,
    })
    expect(started.status, JSON.stringify(started.json)).toBe(201)

    // Pause once the first coding agent is at work: it finishes, no new agent starts.
    await watcher.until(
      (frame) =>
        frame.type === 'event' &&
        frame.event.type === 'agent.started' &&
        frame.event.role === 'coding',
      120_000,
    )
    const paused = await api.request('POST', '/api/projects/demo/run/pause')
    expect(paused.json.mode).toBe('paused')
    await watcher.until(
      (frame) =>
        frame.type === 'event' &&
        frame.event.type === 'agent.finished' &&
        frame.event.role === 'coding',
      120_000,
    )
    const startsWhilePaused = (): number =>
      watcher.events().filter((event) => event.type === 'agent.started').length
    const before = startsWhilePaused()
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    expect(startsWhilePaused()).toBe(before)
    expect((await api.request('GET', '/api/projects/demo/run')).json.mode).toBe('paused')

    const resumed = await api.request('POST', '/api/projects/demo/run/resume')
    expect(resumed.json.mode).toBe('running')
    const finished = await watcher.until(
      (frame) => frame.type === 'event' && frame.event.type === 'run.finished',
      240_000,
    )
    expect(finished).toMatchObject({ event: { reason: 'complete' } })

    const board = await api.request('GET', '/api/projects/demo/features')
    expect(board.json.stats).toMatchObject({ total: FEATURES, passing: FEATURES })
    const detail = await api.request('GET', '/api/projects/demo/features/2')
    expect(detail.json.notes.some((note: { kind: string }) => note.kind === 'evidence')).toBe(true)
    const sessions = await api.request('GET', '/api/projects/demo/sessions')
    expect(sessions.json.total.costUsd).toBeGreaterThan(0)
    const types = new Set(watcher.events().map((event) => event.type))
    for (const type of [
      'run.started',
      'run.paused',
      'run.resumed',
      'agent.tool_use',
      'feature.state',
      'merge.succeeded',
      'run.finished',
    ])
      expect(types).toContain(type)
    await watcher.close()
  }, 300_000)
})
