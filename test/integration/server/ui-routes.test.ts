// Routes the web UI reads besides the board: event pages, a feature's sessions, costs and merge
// diff, and the project's policy. Real server, real SQLite, real git.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import type { ProjectStore } from '../../../src/store/index.js'
import type { Harness } from './app-harness.js'
import { startHarness } from './app-harness.js'

let h: Harness
let store: ProjectStore
let dir: string

beforeEach(async () => {
  h = await startHarness()
  dir = join(h.root, 'app')
  expect((await h.request('POST', '/api/projects', { name: 'app', path: dir })).status).toBe(201)
  const features = [
    { category: 'core', name: 'one' },
    { category: 'core', name: 'two', dependencies: [1] },
  ]
  expect((await h.request('POST', '/api/projects/app/features/bulk', { features })).status).toBe(
    201,
  )
  const opened = h.app.services.hub.open('app')
  if (!opened.ok) throw new Error(opened.error.message)
  store = opened.value.store
})
afterEach(async () => {
  await h[Symbol.asyncDispose]()
})

function git(...args: string[]): string {
  const result = spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(result.stderr)
  return result.stdout.trim()
}

describe('routes for the web UI', () => {
  it('pages through events newest first, by agent and by feature', async () => {
    store.claims.claim([1], 'c1', 'coding', 60_000)
    store.claims.claim([2], 'c2', 'coding', 60_000)
    store.claims.release(1, 'c1', 'done')
    const all = await h.request('GET', '/api/projects/app/events?limit=2')
    expect(all.status).toBe(200)
    expect(all.json.events.map((event: { type: string }) => event.type)).toEqual([
      'feature.released',
      'feature.claimed',
    ])
    expect(all.json.lastEventId).toBe(all.json.events[0].id)
    const older = await h.request('GET', `/api/projects/app/events?before=${all.json.events[1].id}`)
    expect(older.json.events[0].type).toBe('feature.claimed')
    expect(older.json.events.at(-1).type).toBe('feature.created')
    const agent = await h.request('GET', '/api/projects/app/events?agentId=c1')
    expect(agent.json.events.map((event: { type: string }) => event.type)).toEqual([
      'feature.released',
      'feature.claimed',
    ])
    const feature = await h.request('GET', '/api/projects/app/events?featureId=2')
    expect(feature.json.events.map((event: { type: string }) => event.type)).toEqual([
      'feature.claimed',
      'feature.created',
    ])
    expect((await h.request('GET', '/api/projects/app/events?limit=0')).status).toBe(400)
  })

  it("gives a feature's sessions and splits their cost over the batch in the list", async () => {
    store.sessions.start({
      id: 's1',
      runId: null,
      agentId: 'c1',
      role: 'coding',
      featureIds: [1, 2],
      model: 'm',
    })
    store.sessions.addUsage('s1', {
      inputTokens: 10,
      outputTokens: 5,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: 0.5,
    })
    const detail = await h.request('GET', '/api/projects/app/features/2')
    expect(detail.json.sessions).toMatchObject([
      { id: 's1', agentId: 'c1', usage: { costUsd: 0.5 } },
    ])
    expect(detail.json.costUsd).toBe(0.25)
    const list = await h.request('GET', '/api/projects/app/features')
    expect(list.json.costs).toEqual({ '1': 0.25, '2': 0.25 })
  })

  it('shows the diff of the merge that made a feature pass', async () => {
    const none = await h.request('GET', '/api/projects/app/features/1/diff')
    expect(none.json).toEqual({
      featureId: 1,
      commit: null,
      agentId: null,
      stat: '',
      patch: '',
      truncated: false,
    })
    git('init', '-q', '-b', 'main')
    writeFileSync(join(dir, 'base.txt'), 'base\n')
    git('add', 'base.txt')
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base')
    writeFileSync(join(dir, 'slug.js'), 'export const slug = (s) => s\n')
    git('add', 'slug.js')
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'feature one')
    const commit = git('rev-parse', 'HEAD')
    store.notes.add(1, 'orchestrator', 'evidence', 'Verified', { commit, agentId: 'c1' })
    const diff = await h.request('GET', '/api/projects/app/features/1/diff')
    expect(diff.status).toBe(200)
    expect(diff.json).toMatchObject({ commit, agentId: 'c1', truncated: false })
    expect(diff.json.stat).toContain('slug.js')
    expect(diff.json.patch).toContain('+export const slug = (s) => s')
    expect(diff.json.patch).not.toContain('base.txt')
  })

  it('lists the allowed commands with their source and the sandbox state', async () => {
    const policy = await h.request('GET', '/api/projects/app/policy')
    expect(policy.status).toBe(200)
    expect(policy.json.allowed).toContainEqual({ name: 'git', source: 'default' })
    expect(policy.json.blocked.length).toBeGreaterThan(0)
    expect(typeof policy.json.sandbox.available).toBe('boolean')
  })
})
