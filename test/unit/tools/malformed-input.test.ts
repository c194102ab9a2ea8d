import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { ProjectStore } from '../../../src/store/index.js'
import { callFeatureTool, featureTool, MAX_BULK_FEATURES } from '../../../src/tools/index.js'
import type { ToolContext } from '../../../src/tools/index.js'
import { FakeClock } from '../../fakes/fake-clock.js'
import { addFeature, inProcessClient } from '../../helpers/tool-clients.js'
import type { ToolClient } from '../../helpers/tool-clients.js'

// Malformed tool input gets an isError result whose text says how to fix the call, nothing is
// half-written, and the call is still logged.
let store: ProjectStore
let ctx: ToolContext
let client: ToolClient

const item = (index: number) => ({
  category: 'bulk',
  name: `feature ${index}`,
  description: 'd',
  steps: ['s'],
})

beforeEach(async () => {
  store = ProjectStore.memory(new FakeClock())
  ctx = { store, callerId: 'init-1', role: 'initializer', leaseMs: 60_000, verifyPasses: true }
  client = await inProcessClient(ctx)
})

afterEach(async () => {
  await client.close()
  store.close()
})

function loggedOutcomes(): string[] {
  return store.events
    .after(0, 100_000)
    .flatMap((event) => (event.type === 'tool.called' ? [event.outcome] : []))
}

describe('bulk create limits', () => {
  it(`refuses 10,000 features in one call as a whole and says to split the list`, async () => {
    const reply = await client.call('feature_create_bulk', {
      features: Array.from({ length: 10_000 }, (_, i) => item(i)),
    })
    expect(reply.isError).toBe(true)
    expect(reply.body.code).toBe('INVALID_INPUT')
    expect(reply.body.error).toContain(`at most ${MAX_BULK_FEATURES} features per call`)
    expect(reply.text.length).toBeLessThan(2000)
    expect(store.features.count()).toBe(0)
    expect(loggedOutcomes()).toEqual(['error'])
  })

  it(`creates ${MAX_BULK_FEATURES} features in one call`, async () => {
    const reply = await client.call('feature_create_bulk', {
      features: Array.from({ length: MAX_BULK_FEATURES }, (_, i) => ({
        ...item(i),
        ...(i > 0 ? { depends_on_indices: [i - 1] } : {}),
      })),
    })
    expect(reply.body).toMatchObject({
      created: MAX_BULK_FEATURES,
      with_dependencies: MAX_BULK_FEATURES - 1,
    })
    expect(store.features.count()).toBe(MAX_BULK_FEATURES)
    expect(store.features.get(reply.body.last_id)!.dependencies).toEqual([reply.body.last_id - 1])
  })

  it('creates nothing when the last of a thousand items is wrong', async () => {
    const features = Array.from({ length: MAX_BULK_FEATURES }, (_, i) => item(i))
    features[MAX_BULK_FEATURES - 1] = { ...item(0), steps: 'not a list' as unknown as string[] }
    const reply = await client.call('feature_create_bulk', { features })
    expect(reply.body.error).toContain(`features.${MAX_BULK_FEATURES - 1}.steps`)
    expect(store.features.count()).toBe(0)
  })
})

describe('wrong types, missing fields and huge strings', () => {
  const cases: Array<[string, string, unknown, string]> = [
    ['a fractional id', 'feature_get_by_id', { feature_id: 1.5 }, 'feature_id'],
    ['a negative id', 'feature_add_dependency', { feature_id: -1, dependency_id: 1 }, 'feature_id'],
    ['a boolean id', 'feature_get_summary', { feature_id: true }, 'feature_id'],
    [
      'an id list given as a string',
      'feature_set_dependencies',
      { feature_id: 1, dependency_ids: '2,3' },
      'dependency_ids',
    ],
    [
      'features given as an object',
      'feature_create_bulk',
      { features: { 0: item(0) } },
      'features',
    ],
    ['a missing name', 'feature_create', { category: 'c', description: 'd', steps: ['s'] }, 'name'],
    [
      'a one-megabyte category',
      'feature_create',
      { ...item(0), category: 'x'.repeat(1_000_000) },
      'category',
    ],
    [
      'a description over 20,000 characters',
      'feature_create',
      { ...item(0), description: 'x'.repeat(20_001) },
      'description',
    ],
    [
      'a step over 2,000 characters',
      'feature_create',
      { ...item(0), steps: ['x'.repeat(2_001)] },
      'steps.0',
    ],
  ]
  for (const [what, tool, args, path] of cases) {
    it(`refuses ${what} and names the field`, async () => {
      addFeature(store)
      const before = store.features.list()
      const reply = await client.call(tool, args)
      expect(reply.isError).toBe(true)
      expect(reply.body.code).toBe('INVALID_INPUT')
      expect(reply.body.error).toContain(`${path}:`)
      expect(reply.body.error).toContain(`call ${tool} again with {`)
      expect(reply.text.length).toBeLessThan(2000)
      expect(store.features.list()).toEqual(before)
      expect(loggedOutcomes()).toEqual(['error'])
    })
  }

  it('ignores unknown extra fields', async () => {
    const id = addFeature(store)
    const reply = await client.call('feature_get_summary', { feature_id: id, verbose: true })
    expect(reply.isError).toBe(false)
  })

  it('refuses arguments that are not an object', () => {
    const reply = callFeatureTool(featureTool('feature_get_by_id'), ctx, [1])
    expect(reply.isError).toBe(true)
    expect(reply.content[0]!.text).toContain('INVALID_INPUT')
  })

  it('answers an unknown tool with an error result', async () => {
    const reply = await client.call('feature_delete_everything', {})
    expect(reply.isError).toBe(true)
  })
})

describe('failures inside autocoder', () => {
  it('turn into an error result without a stack trace, and are logged', async () => {
    const id = addFeature(store)
    store.db.exec('DROP TABLE notes')
    const reply = await client.call('feature_add_note', { feature_id: id, text: 'hello' })
    expect(reply.isError).toBe(true)
    expect(reply.body.code).toBe('TOOL_FAILED')
    expect(reply.body.error).toContain('call it once more')
    expect(reply.text).not.toMatch(/\bat .*\.ts:\d+/)
    expect(loggedOutcomes()).toEqual(['error'])
  })
})
