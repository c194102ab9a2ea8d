// Every bad request gets a 4xx with a coded, clear message (no absolute path) and leaves both
// databases exactly as they were.
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Harness } from './app-harness.js'
import { startHarness } from './app-harness.js'

let h: Harness

function snapshot(): string {
  const registry = h.app.registry.db
  const opened = h.app.services.hub.open('app')
  if (!opened.ok) throw new Error(opened.error.message)
  const db = opened.value.store.db
  const tables = [
    'features',
    'feature_dependencies',
    'claims',
    'notes',
    'events',
    'sessions',
    'settings',
    'schedules',
    'orchestrator_lock',
  ]
  return JSON.stringify({
    registry: [
      registry.prepare('SELECT * FROM projects').all(),
      registry.prepare('SELECT * FROM settings').all(),
    ],
    project: tables.map((table) => db.prepare(`SELECT * FROM ${table}`).all()),
  })
}

beforeAll(async () => {
  h = await startHarness()
  expect(
    (await h.request('POST', '/api/projects', { name: 'app', path: join(h.root, 'app') })).status,
  ).toBe(201)
  await h.request('POST', '/api/projects/app/features/bulk', {
    features: [
      { category: 'a', name: 'one' },
      { category: 'a', name: 'two', dependencies: [1] },
    ],
  })
  await h.request('POST', '/api/projects/app/schedules', {
    days: ['mon'],
    start: '03:00',
    durationMinutes: 60,
    timeZone: 'UTC',
    enabled: false,
  })
})
afterAll(async () => {
  await h[Symbol.asyncDispose]()
})

interface Case {
  name: string
  method: string
  path: string
  body?: unknown
  headers?: Record<string, string>
  status: number
  code?: string
}

const f = '/api/projects/app/features'
const schedule = { days: ['mon'], start: '03:00', durationMinutes: 60, timeZone: 'UTC' }
const cases: Case[] = [
  // projects
  {
    name: 'project name of the wrong type',
    method: 'POST',
    path: '/api/projects',
    body: { name: 5, path: '~/x' },
    status: 400,
    code: 'INVALID_INPUT',
  },
  {
    name: 'project without fields',
    method: 'POST',
    path: '/api/projects',
    body: {},
    status: 400,
    code: 'INVALID_INPUT',
  },
  {
    name: 'project name with spaces',
    method: 'POST',
    path: '/api/projects',
    body: { name: 'my app!', path: '~/x' },
    status: 400,
  },
  {
    name: 'project outside the allowed roots',
    method: 'POST',
    path: '/api/projects',
    body: { name: 'x', path: '/etc/x' },
    status: 403,
    code: 'OUTSIDE_ROOTS',
  },
  {
    name: 'project path traversal',
    method: 'POST',
    path: '/api/projects',
    body: { name: 'x', path: '~/../../etc/x' },
    status: 403,
    code: 'OUTSIDE_ROOTS',
  },
  {
    name: 'relative project path',
    method: 'POST',
    path: '/api/projects',
    body: { name: 'x', path: 'x' },
    status: 400,
    code: 'INVALID_PATH',
  },
  {
    name: 'existing project name',
    method: 'POST',
    path: '/api/projects',
    body: { name: 'app', path: '~/other' },
    status: 409,
    code: 'PROJECT_EXISTS',
  },
  {
    name: 'import of a missing folder',
    method: 'POST',
    path: '/api/projects/import',
    body: { name: 'x', path: '~/missing' },
    status: 404,
  },
  {
    name: 'reference import without a board',
    method: 'POST',
    path: '/api/projects/import',
    body: { name: 'x', path: '~/app', reference: true },
    status: 409,
  },
  {
    name: 'unknown project',
    method: 'GET',
    path: '/api/projects/nope',
    status: 404,
    code: 'PROJECT_NOT_FOUND',
  },
  {
    name: 'project name with traversal',
    method: 'GET',
    path: '/api/projects/..%2F..%2Fetc',
    status: 400,
    code: 'INVALID_INPUT',
  },
  {
    name: 'delete without confirmation',
    method: 'DELETE',
    path: '/api/projects/app',
    status: 400,
    code: 'INVALID_INPUT',
  },
  {
    name: 'delete with the wrong confirmation',
    method: 'DELETE',
    path: '/api/projects/app?confirm=ap',
    status: 400,
    code: 'CONFIRMATION_REQUIRED',
  },
  {
    name: 'concurrency out of range',
    method: 'PATCH',
    path: '/api/projects/app',
    body: { defaultConcurrency: 99 },
    status: 400,
  },
  // features
  {
    name: 'feature with an empty name',
    method: 'POST',
    path: f,
    body: { category: 'a', name: '' },
    status: 400,
    code: 'INVALID_INPUT',
  },
  {
    name: 'feature with steps as a string',
    method: 'POST',
    path: f,
    body: { category: 'a', name: 'x', steps: 'one' },
    status: 400,
  },
  {
    name: 'feature on an unknown dependency',
    method: 'POST',
    path: f,
    body: { category: 'a', name: 'x', dependencies: [999] },
    status: 400,
    code: 'UNKNOWN_DEPENDENCY',
  },
  { name: 'empty bulk', method: 'POST', path: `${f}/bulk`, body: { features: [] }, status: 400 },
  {
    name: 'bulk over 1,000',
    method: 'POST',
    path: `${f}/bulk`,
    body: { features: Array.from({ length: 1001 }, (_, i) => ({ category: 'a', name: `n${i}` })) },
    status: 400,
  },
  { name: 'feature id not a number', method: 'GET', path: `${f}/abc`, status: 400 },
  {
    name: 'unknown feature',
    method: 'GET',
    path: `${f}/999`,
    status: 404,
    code: 'FEATURE_NOT_FOUND',
  },
  { name: 'empty patch', method: 'PATCH', path: `${f}/1`, body: {}, status: 400 },
  {
    name: 'priority of the wrong type',
    method: 'PATCH',
    path: `${f}/1`,
    body: { priority: 'high' },
    status: 400,
  },
  {
    name: 'self dependency',
    method: 'POST',
    path: `${f}/1/dependencies/1`,
    status: 400,
    code: 'SELF_DEPENDENCY',
  },
  {
    name: 'dependency cycle',
    method: 'PUT',
    path: `${f}/1/dependencies`,
    body: { dependencyIds: [2] },
    status: 400,
    code: 'DEPENDENCY_CYCLE',
  },
  {
    name: 'removing a missing dependency',
    method: 'DELETE',
    path: `${f}/1/dependencies/2`,
    status: 400,
    code: 'DEPENDENCY_NOT_FOUND',
  },
  {
    name: 'unskipping a pending feature',
    method: 'POST',
    path: `${f}/1/unskip`,
    status: 409,
    code: 'INVALID_STATE',
  },
  { name: 'unknown state filter', method: 'GET', path: `${f}?state=done`, status: 400 },
  { name: 'deleting an unknown feature', method: 'DELETE', path: `${f}/77`, status: 404 },
  // runs
  {
    name: 'concurrency zero',
    method: 'POST',
    path: '/api/projects/app/run/start',
    body: { concurrency: 0 },
    status: 400,
  },
  {
    name: 'concurrency as text',
    method: 'POST',
    path: '/api/projects/app/run/start',
    body: { concurrency: 'many' },
    status: 400,
  },
  {
    name: 'pause without a run',
    method: 'POST',
    path: '/api/projects/app/run/pause',
    status: 409,
    code: 'NOT_RUNNING',
  },
  {
    name: 'concurrency change without fields',
    method: 'PATCH',
    path: '/api/projects/app/run/concurrency',
    body: {},
    status: 400,
  },
  {
    name: 'empty answer',
    method: 'POST',
    path: '/api/projects/app/run/answer',
    body: { featureId: 1, text: '  ' },
    status: 400,
  },
  {
    name: 'answer to a feature without a question',
    method: 'POST',
    path: '/api/projects/app/run/answer',
    body: { featureId: 1, text: 'yes' },
    status: 409,
    code: 'NOT_WAITING',
  },
  {
    name: 'sessions limit of the wrong type',
    method: 'GET',
    path: '/api/projects/app/sessions?limit=lots',
    status: 400,
  },
  // settings
  {
    name: 'unknown setting',
    method: 'PATCH',
    path: '/api/settings',
    body: { favourite_colour: 'blue' },
    status: 400,
  },
  {
    name: 'base URL that is not http',
    method: 'PATCH',
    path: '/api/settings',
    body: { anthropic_base_url: 'ftp://models' },
    status: 400,
  },
  {
    name: 'project setting of the wrong type',
    method: 'PATCH',
    path: '/api/projects/app/settings',
    body: { yolo: 'yes' },
    status: 400,
  },
  // schedules
  {
    name: 'schedule without days',
    method: 'POST',
    path: '/api/projects/app/schedules',
    body: { ...schedule, days: [] },
    status: 400,
  },
  {
    name: 'schedule in an unknown zone',
    method: 'POST',
    path: '/api/projects/app/schedules',
    body: { ...schedule, timeZone: 'Mars/Olympus' },
    status: 400,
  },
  {
    name: 'schedule at 25:00',
    method: 'POST',
    path: '/api/projects/app/schedules',
    body: { ...schedule, start: '25:00' },
    status: 400,
  },
  {
    name: 'unknown schedule',
    method: 'GET',
    path: '/api/projects/app/schedules/zzz',
    status: 404,
    code: 'SCHEDULE_NOT_FOUND',
  },
  {
    name: 'schedule id with traversal',
    method: 'PATCH',
    path: '/api/projects/app/schedules/..%2F..',
    body: { enabled: true },
    status: 400,
  },
  // transport
  {
    name: 'oversized body',
    method: 'POST',
    path: f,
    body: { category: 'a', name: 'big', description: 'x'.repeat(2_000_000) },
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'body that is not JSON',
    method: 'POST',
    path: f,
    body: '{"category":',
    status: 400,
    code: 'INVALID_INPUT',
  },
  {
    name: 'body as text/plain',
    method: 'POST',
    path: f,
    body: 'hello',
    headers: { 'content-type': 'text/plain' },
    status: 400,
  },
  {
    name: 'unknown route',
    method: 'GET',
    path: '/api/nothing-here',
    status: 404,
    code: 'ROUTE_NOT_FOUND',
  },
]

describe('bad input', () => {
  it.each(cases)(
    'refuses $name with $status and leaves the databases unchanged',
    async (testCase) => {
      const before = snapshot()
      const response = await h.request(
        testCase.method,
        testCase.path,
        testCase.body,
        testCase.headers,
      )
      expect(response.status, JSON.stringify(response.json)).toBe(testCase.status)
      expect(response.json.error.message.length).toBeGreaterThan(10)
      expect(response.json.error.message).not.toContain(h.root)
      if (testCase.code) expect(response.json.error.code).toBe(testCase.code)
      expect(snapshot()).toBe(before)
    },
  )
})
