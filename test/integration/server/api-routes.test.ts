// Every project, feature, run, settings and schedule route with valid input, against a real
// server on a random port (simulated agents, real SQLite).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { SETTING_KEYS } from '../../../src/agents/index.js'
import { SettingsPatch } from '../../../src/core/api/index.js'
import { unwrap } from '../../../src/core/index.js'
import { ProjectStore } from '../../../src/store/index.js'

import type { Harness } from './app-harness.js'
import { startHarness } from './app-harness.js'

let h: Harness

beforeEach(async () => {
  h = await startHarness()
})
afterEach(async () => {
  await h[Symbol.asyncDispose]()
})

async function createProject(name = 'app'): Promise<void> {
  const created = await h.request('POST', '/api/projects', { name, path: join(h.root, name) })
  expect(created.status).toBe(201)
}

const features = (name: string) => `/api/projects/${name}/features`

describe('project routes', () => {
  it('creates a project folder inside the allowed root, lists it with stats and gets it', async () => {
    const created = await h.request('POST', '/api/projects', {
      name: 'app',
      path: '~/app',
      defaultConcurrency: 2,
    })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({
      name: 'app',
      path: join(h.root, 'app'),
      defaultConcurrency: 2,
      running: false,
      hasSpec: false,
    })
    expect(existsSync(join(h.root, 'app', '.autocoder', 'autocoder.db'))).toBe(true)
    const list = await h.request('GET', '/api/projects')
    expect(list.json).toHaveLength(1)
    expect(list.json[0].stats).toMatchObject({ total: 0, passing: 0, percentage: 0 })
    const one = await h.request('GET', '/api/projects/app')
    expect(one.json.name).toBe('app')
    const patched = await h.request('PATCH', '/api/projects/app', { defaultConcurrency: 4 })
    expect(patched.json.defaultConcurrency).toBe(4)
  })

  it('imports an existing folder and a reference board with its ids and passing features', async () => {
    const plain = join(h.root, 'plain')
    mkdirSync(plain)
    const imported = await h.request('POST', '/api/projects/import', { name: 'plain', path: plain })
    expect(imported.status).toBe(201)
    expect(imported.json.imported).toBeNull()
    const reference = join(h.root, 'ref')
    mkdirSync(reference)
    writeFileSync(
      join(reference, 'feature_list.json'),
      JSON.stringify([
        {
          id: 1,
          category: 'setup',
          name: 'Skeleton',
          description: 'd',
          steps: ['s'],
          passes: true,
        },
        {
          id: 2,
          category: 'ui',
          name: 'Page',
          description: 'd',
          steps: [],
          passes: false,
          dependencies: [1],
        },
      ]),
    )
    writeFileSync(
      join(reference, 'app_spec.txt'),
      '<project_specification>x</project_specification>',
    )
    const ref = await h.request('POST', '/api/projects/import', {
      name: 'ref',
      path: reference,
      reference: true,
    })
    expect(ref.status).toBe(201)
    expect(ref.json.imported).toMatchObject({ features: 2, passing: 1, specCopied: true })
    expect(ref.json.project).toMatchObject({ hasSpec: true, stats: { total: 2, passing: 1 } })
  })

  it('deletes a project only with its name as confirmation, and its files only when asked', async () => {
    await createProject('keep')
    await createProject('gone')
    const unconfirmed = await h.request('DELETE', '/api/projects/keep?confirm=other')
    expect(unconfirmed.status).toBe(400)
    expect(unconfirmed.json.error.code).toBe('CONFIRMATION_REQUIRED')
    const kept = await h.request('DELETE', '/api/projects/keep?confirm=keep')
    expect(kept.json).toEqual({ name: 'keep', filesDeleted: false })
    expect(existsSync(join(h.root, 'keep'))).toBe(true)
    const gone = await h.request('DELETE', '/api/projects/gone?confirm=gone&deleteFiles=true')
    expect(gone.json).toEqual({ name: 'gone', filesDeleted: true })
    expect(existsSync(join(h.root, 'gone'))).toBe(false)
    expect((await h.request('GET', '/api/projects')).json).toEqual([])
  })
})

describe('feature routes', () => {
  beforeEach(() => createProject())

  it('creates, bulk-creates, filters, edits, skips and deletes features', async () => {
    const one = await h.request('POST', features('app'), {
      category: 'setup',
      name: 'Skeleton',
      description: 'package.json',
    })
    expect(one.status).toBe(201)
    expect(one.json).toMatchObject({ id: 1, state: 'pending', blocked: false })
    const bulk = await h.request('POST', `${features('app')}/bulk`, {
      features: [
        { category: 'ui', name: 'Login page', dependencies: [1] },
        { category: 'ui', name: 'Logout button', dependencies: [2] },
      ],
    })
    expect(bulk.status).toBe(201)
    expect(bulk.json.created).toBe(2)
    const filtered = await h.request('GET', `${features('app')}?category=ui&search=LOGIN`)
    expect(filtered.json.features.map((f: { name: string }) => f.name)).toEqual(['Login page'])
    expect(filtered.json.features[0]).toMatchObject({ blocked: true, blockingDependencies: [1] })
    expect(filtered.json.stats.total).toBe(3)
    const byState = await h.request('GET', `${features('app')}?state=pending,skipped`)
    expect(byState.json.features).toHaveLength(3)
    const edited = await h.request('PATCH', `${features('app')}/2`, {
      name: 'Sign-in page',
      steps: ['open /login'],
    })
    expect(edited.json).toMatchObject({ name: 'Sign-in page', steps: ['open /login'] })
    const skipped = await h.request('POST', `${features('app')}/3/skip`)
    expect(skipped.json.state).toBe('skipped')
    const unskipped = await h.request('POST', `${features('app')}/3/unskip`)
    expect(unskipped.json.state).toBe('pending')
    const detail = await h.request('GET', `${features('app')}/2`)
    expect(detail.json).toMatchObject({ feature: { id: 2 }, notes: [], costUsd: 0 })
    const deleted = await h.request('DELETE', `${features('app')}/2`)
    expect(deleted.json).toEqual({ id: 2, affected: [3] })
    expect((await h.request('GET', `${features('app')}/3`)).json.feature.dependencies).toEqual([])
  })

  it('lists what another process changed on the board since the last list', async () => {
    await h.request('POST', features('app'), { category: 'a', name: 'one' })
    expect((await h.request('GET', features('app'))).json.features[0].state).toBe('pending')
    const other = unwrap(ProjectStore.open(join(h.root, 'app')))
    try {
      unwrap(
        other.features.transition(1, 'skipped', {
          by: 'cli',
          actor: 'operator',
          reason: 'skipped from the command line',
        }),
      )
    } finally {
      other.close()
    }
    expect((await h.request('GET', features('app'))).json.features[0].state).toBe('skipped')
    expect((await h.request('GET', `${features('app')}/graph`)).json.nodes[0].status).toBe(
      'skipped',
    )
  })

  it('adds, removes and replaces dependencies, refuses a cycle, and draws the graph', async () => {
    await h.request('POST', `${features('app')}/bulk`, {
      features: [
        { category: 'a', name: 'one' },
        { category: 'a', name: 'two' },
        { category: 'a', name: 'three' },
      ],
    })
    expect(
      (await h.request('POST', `${features('app')}/2/dependencies/1`)).json.dependencies,
    ).toEqual([1])
    expect(
      (await h.request('PUT', `${features('app')}/3/dependencies`, { dependencyIds: [1, 2] })).json
        .dependencies,
    ).toEqual([1, 2])
    const cycle = await h.request('POST', `${features('app')}/1/dependencies/3`)
    expect(cycle.status).toBe(400)
    expect(cycle.json.error.code).toBe('DEPENDENCY_CYCLE')
    expect(
      (await h.request('DELETE', `${features('app')}/3/dependencies/1`)).json.dependencies,
    ).toEqual([2])
    const graph = await h.request('GET', `${features('app')}/graph`)
    expect(graph.json.edges).toEqual([
      { source: 1, target: 2 },
      { source: 2, target: 3 },
    ])
    expect(graph.json.nodes.map((n: { status: string }) => n.status)).toEqual([
      'pending',
      'blocked',
      'blocked',
    ])
  })
})

describe('run routes', () => {
  beforeEach(async () => {
    await createProject()
    await h.request('POST', `${features('app')}/bulk`, {
      features: [
        { category: 'a', name: 'one' },
        { category: 'a', name: 'two' },
      ],
    })
  })

  it('starts a run, refuses a second start, pauses, resumes, changes concurrency and finishes', async () => {
    const idle = await h.request('GET', '/api/projects/app/run')
    expect(idle.json).toMatchObject({ owner: 'none', mode: 'idle' })
    const started = await h.request('POST', '/api/projects/app/run/start', {
      concurrency: 1,
      yolo: true,
    })
    expect(started.status).toBe(201)
    expect(started.json).toMatchObject({ owner: 'server', mode: 'running' })
    const again = await h.request('POST', '/api/projects/app/run/start', {})
    expect(again.status).toBe(409)
    expect(again.json.error.code).toBe('ALREADY_RUNNING')
    expect((await h.request('POST', '/api/projects/app/run/pause')).json.mode).toBe('paused')
    expect((await h.request('POST', '/api/projects/app/run/resume')).json.mode).toBe('running')
    const changed = await h.request('PATCH', '/api/projects/app/run/concurrency', { coding: 2 })
    expect(changed.json.settings.concurrency).toBe(2)
    const running = await h.request('DELETE', '/api/projects/app?confirm=app')
    expect(running.status).toBe(409)
    await h.app.services.runs.finished('app')
    const done = await h.request('GET', '/api/projects/app/run')
    expect(done.json).toMatchObject({
      owner: 'none',
      stats: { passing: 2 },
      lastRun: { reason: 'complete' },
    })
    const sessions = await h.request('GET', '/api/projects/app/sessions')
    expect(sessions.json.sessions.length).toBeGreaterThan(0)
    expect(sessions.json.total).toHaveProperty('costUsd')
    const history = await h.request('GET', '/api/projects/app/runs')
    expect(history.json.runs).toHaveLength(1)
    expect(history.json.runs[0]).toMatchObject({
      runId: started.json.runId,
      reason: 'complete',
      options: { concurrency: 1 },
    })
  })

  it('refuses a start while another process (autocoder run) holds the project, and shows that run', async () => {
    const cli = unwrap(ProjectStore.open(join(h.root, 'app')))
    try {
      unwrap(
        cli.locks.acquire(
          { owner: 'run-fromcli', pid: process.pid, host: hostname() },
          60_000,
          () => true,
        ),
      )
      const refused = await h.request('POST', '/api/projects/app/run/start', {})
      expect(refused.status).toBe(409)
      expect(refused.json.error.code).toBe('PROJECT_LOCKED')
      const status = await h.request('GET', '/api/projects/app/run')
      expect(status.json).toMatchObject({ owner: 'external', runId: 'run-fromcli' })
      expect((await h.request('GET', '/api/projects')).json[0].running).toBe(true)
      cli.locks.release('run-fromcli')
    } finally {
      cli.close()
    }
    expect((await h.request('POST', '/api/projects/app/run/start', {})).status).toBe(201)
    await h.app.services.runs.finished('app')
  })

  it('does not count a lock whose holder process on this machine is gone', async () => {
    const deadPid = spawnSync('true').pid
    const cli = unwrap(ProjectStore.open(join(h.root, 'app')))
    try {
      unwrap(
        cli.locks.acquire(
          { owner: 'run-crashed', pid: deadPid, host: hostname() },
          60_000,
          () => true,
        ),
      )
    } finally {
      cli.close()
    }
    expect((await h.request('GET', '/api/projects/app/run')).json.owner).toBe('none')
    expect((await h.request('GET', '/api/projects')).json[0].running).toBe(false)
    expect((await h.request('POST', '/api/projects/app/run/start', {})).status).toBe(201)
    await h.app.services.runs.finished('app')
  })

  it('drains and stops a run, and answers a question', async () => {
    const store = h.app.services.hub.open('app')
    if (!store.ok) throw new Error('no store')
    store.value.store.features.transition(2, 'needs_human', {
      by: 'test',
      actor: 'operator',
      reason: 'asked',
    })
    expect(
      (await h.request('POST', '/api/projects/app/run/drain', { reason: 'enough' })).status,
    ).toBe(409)
    await h.request('POST', '/api/projects/app/run/start', {})
    const drained = await h.request('POST', '/api/projects/app/run/drain', { reason: 'enough' })
    expect(drained.json.mode).toBe('draining')
    const stopped = await h.request('POST', '/api/projects/app/run/stop')
    expect(['stopping', 'finished', 'draining']).toContain(stopped.json.mode)
    await h.app.services.runs.finished('app')
    const answered = await h.request('POST', '/api/projects/app/run/answer', {
      featureId: 2,
      text: 'Use email login.',
    })
    expect(answered.status).toBe(200)
    expect(answered.json.state).toBe('pending')
  })
})

describe('settings routes', () => {
  it('edits every settings key the agents read', () => {
    const editable = Object.keys(SettingsPatch.shape)
    for (const key of Object.values(SETTING_KEYS)) expect(editable).toContain(key)
  })

  it('stores the sandbox settings: accepting the risk and the hosts agent code may reach', async () => {
    await createProject()
    const patched = await h.request('PATCH', '/api/projects/app/settings', {
      unsandboxed: true,
      allowed_hosts: ['pypi.org', '*.files.example', '127.0.0.1:4000'],
    })
    expect(patched.status).toBe(200)
    expect(patched.json.values).toEqual({
      unsandboxed: true,
      allowed_hosts: ['pypi.org', '*.files.example', '127.0.0.1:4000'],
    })
    const bad = await h.request('PATCH', '/api/projects/app/settings', {
      allowed_hosts: ['http://evil.example/path'],
    })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.json)).toContain('host:port')
    // The old switch is gone: asking for it is a clear error, not a silent no-op.
    expect((await h.request('PATCH', '/api/settings', { os_sandbox: false })).status).toBe(400)
  })

  it('stores global and project settings and never returns a secret', async () => {
    await createProject()
    const patched = await h.request('PATCH', '/api/settings', {
      anthropic_api_key: 'sk-ant-very-secret',
      model: 'claude-sonnet-4-5',
    })
    expect(patched.json).toEqual({
      values: { model: 'claude-sonnet-4-5' },
      secrets: { anthropic_api_key: { set: true }, anthropic_auth_token: { set: false } },
    })
    expect(JSON.stringify((await h.request('GET', '/api/settings')).json)).not.toContain(
      'very-secret',
    )
    const project = await h.request('PATCH', '/api/projects/app/settings', {
      model_testing: 'claude-haiku-4-5',
      concurrency: 2,
    })
    expect(project.json.values).toEqual({ model_testing: 'claude-haiku-4-5', concurrency: 2 })
    expect((await h.request('GET', '/api/projects/app/settings')).json).toEqual(project.json)
    const effective = await h.request('GET', '/api/projects/app/settings/effective')
    expect(effective.json).toEqual({
      provider: { ok: true, kind: 'anthropic_api_key', description: 'Anthropic API key' },
      models: {
        initializer: 'claude-sonnet-4-5',
        coding: 'claude-sonnet-4-5',
        testing: 'claude-haiku-4-5',
      },
    })
    const cleared = await h.request('PATCH', '/api/settings', { anthropic_api_key: null })
    expect(cleared.json.secrets.anthropic_api_key.set).toBe(false)
  })
})

describe('schedule routes', () => {
  it('adds, lists, edits, answers the next window and deletes schedules', async () => {
    await createProject()
    const created = await h.request('POST', '/api/projects/app/schedules', {
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      start: '03:00',
      durationMinutes: 60,
      timeZone: 'Europe/Berlin',
      enabled: false,
      concurrency: 2,
    })
    expect(created.status).toBe(201)
    const id = created.json.id as string
    expect((await h.request('GET', '/api/projects/app/schedules')).json).toHaveLength(1)
    expect((await h.request('GET', `/api/projects/app/schedules/${id}`)).json).toMatchObject({
      project: 'app',
      concurrency: 2,
    })
    const edited = await h.request('PATCH', `/api/projects/app/schedules/${id}`, {
      durationMinutes: 90,
      enabled: true,
    })
    expect(edited.json).toMatchObject({ durationMinutes: 90, enabled: true })
    const next = await h.request('GET', '/api/projects/app/schedules/next')
    expect(
      next.json.current === null ? next.json.next.scheduleId : next.json.current.scheduleId,
    ).toBe(id)
    expect((await h.request('DELETE', `/api/projects/app/schedules/${id}`)).status).toBe(204)
    expect((await h.request('GET', '/api/projects/app/schedules')).json).toEqual([])
  })
})

describe('server pages', () => {
  it('serves a status page without a built UI and documents every route in OpenAPI', async () => {
    const page = await fetch(`${h.base}/`, { headers: h.auth })
    expect(await page.text()).toContain('/api/openapi.json')
    const doc = (await h.request('GET', '/api/openapi.json')).json
    for (const path of [
      '/api/projects',
      '/api/projects/{project}/features/{id}/dependencies',
      '/api/projects/{project}/run/start',
      '/api/projects/{project}/schedules/{id}',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path)
    }
  })
})
