import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { ProjectStore } from '../../../src/store/index.js'
import { answerFeature } from '../../../src/store/index.js'
import { OPERATOR } from '../../../src/tools/index.js'
import type { ToolContext, ToolRole } from '../../../src/tools/index.js'
import { FakeClock } from '../../fakes/fake-clock.js'
import { addFeature, inProcessClient } from '../../helpers/tool-clients.js'
import type { ToolClient } from '../../helpers/tool-clients.js'

let clock: FakeClock
let store: ProjectStore
const open: ToolClient[] = []

async function agent(
  callerId: string,
  role: ToolRole,
  extra: Partial<ToolContext> = {},
): Promise<ToolClient> {
  const client = await inProcessClient({
    store,
    callerId,
    role,
    leaseMs: 1000,
    verifyPasses: true,
    ...extra,
  })
  open.push(client)
  return client
}

beforeEach(() => {
  clock = new FakeClock()
  store = ProjectStore.memory(clock)
})

afterEach(async () => {
  await Promise.all(open.splice(0).map((client) => client.close()))
  store.close()
})

describe('passes reported by orchestrated agents', () => {
  it('records the pass on the claim and leaves the feature in progress until the orchestrator confirms it', async () => {
    const coder = await agent('coding-1', 'coding')
    const id = addFeature(store)
    await coder.call('feature_claim_and_get', { feature_id: id })
    const reply = await coder.call('feature_mark_passing', { feature_id: id })
    expect(reply.body).toMatchObject({ success: true, verified: false, state: 'in_progress' })
    expect(reply.body.message).toContain('merges')
    expect(store.features.get(id)!.state).toBe('in_progress')
    expect(store.claims.holder(id)).toMatchObject({ agentId: 'coding-1', reported: 'passing' })
  })

  it('refuses a second report of the same pass', async () => {
    const coder = await agent('coding-1', 'coding')
    const id = addFeature(store, { claimedBy: 'coding-1' })
    await coder.call('feature_mark_passing', { feature_id: id })
    const again = await coder.call('feature_mark_passing', { feature_id: id })
    expect(again).toMatchObject({ isError: true, body: { code: 'ALREADY_REPORTED' } })
  })

  it('marks the feature passing directly when nothing verifies passes', async () => {
    const coder = await agent('coding-1', 'coding', { verifyPasses: false })
    const id = addFeature(store, { claimedBy: 'coding-1' })
    await coder.call('feature_mark_passing', { feature_id: id })
    expect(store.features.get(id)!.state).toBe('passing')
    expect(store.claims.holder(id)).toBeUndefined()
  })
})

describe('leases', () => {
  it('renews every lease of an agent on each of its tool calls', async () => {
    const coder = await agent('coding-1', 'coding')
    const id = addFeature(store)
    await coder.call('feature_claim_and_get', { feature_id: id })
    clock.advance(900)
    await coder.call('feature_get_stats')
    clock.advance(900)
    expect(store.claims.claim([id], 'coding-2', 'coding', 1000).ok).toBe(false)
    clock.advance(200)
    expect(store.claims.claim([id], 'coding-2', 'coding', 1000).ok).toBe(true)
  })

  it('treats a feature whose lease ran out as ready again', async () => {
    const coder = await agent('coding-1', 'coding')
    const id = addFeature(store, { claimedBy: 'coding-2' })
    expect((await coder.call('feature_get_ready')).body.total_ready).toBe(0)
    clock.advance(3_600_001)
    expect(
      (await coder.call('feature_get_ready')).body.features.map((f: { id: number }) => f.id),
    ).toEqual([id])
  })
})

describe('testing agents and regressions', () => {
  it('keeps a regression away from coders while the tester fixes it, then restores it', async () => {
    const tester = await agent('testing-1', 'testing', { verifyPasses: false })
    const coder = await agent('coding-1', 'coding')
    const id = addFeature(store, { state: 'passing' })
    expect((await tester.call('feature_claim_and_get', { feature_id: id })).isError).toBe(false)
    expect((await tester.call('feature_mark_failing', { feature_id: id })).body.feature.state).toBe(
      'failing',
    )
    const stolen = await coder.call('feature_claim_and_get', { feature_id: id })
    expect(stolen).toMatchObject({ isError: true, body: { code: 'FEATURE_CLAIMED' } })
    expect((await coder.call('feature_get_ready')).body.total_ready).toBe(0)
    await tester.call('feature_mark_passing', { feature_id: id })
    expect(store.features.get(id)!.state).toBe('passing')
    expect(store.claims.holder(id)).toBeUndefined()
  })

  it('hands a regression to coders when the tester releases it', async () => {
    const tester = await agent('testing-1', 'testing')
    const coder = await agent('coding-1', 'coding')
    const id = addFeature(store, { state: 'passing', claimedBy: 'testing-1', kind: 'testing' })
    await tester.call('feature_mark_failing', { feature_id: id })
    await tester.call('feature_clear_in_progress', { feature_id: id })
    expect(store.features.get(id)!.state).toBe('failing')
    expect((await coder.call('feature_claim_and_get', { feature_id: id })).body.claimed_by).toBe(
      'coding-1',
    )
  })

  it('reports a fixed regression for verification when an orchestrator runs the tester', async () => {
    const tester = await agent('testing-1', 'testing')
    const id = addFeature(store, { state: 'passing', claimedBy: 'testing-1', kind: 'testing' })
    await tester.call('feature_mark_failing', { feature_id: id })
    const reply = await tester.call('feature_mark_passing', { feature_id: id })
    expect(reply.body).toMatchObject({ verified: false })
    expect(store.claims.holder(id)).toMatchObject({ kind: 'testing', reported: 'passing' })
  })
})

describe('questions to a person', () => {
  it('shows the answer to the next agent that takes the feature', async () => {
    const first = await agent('coding-1', 'coding')
    const next = await agent('coding-2', 'coding')
    const id = addFeature(store)
    await first.call('feature_claim_and_get', { feature_id: id })
    await first.call('feature_ask_human', {
      feature_id: id,
      question: 'Dark mode by default?',
      choices: ['yes', 'no'],
    })
    expect((await next.call('feature_claim_and_get', { feature_id: id })).body.code).toBe(
      'INVALID_STATE',
    )
    expect(answerFeature(store, id, 'no', { actor: 'operator', by: OPERATOR }).ok).toBe(true)
    const taken = await next.call('feature_claim_and_get', { feature_id: id })
    expect(taken.body.human_input).toMatchObject({
      question: 'Dark mode by default?',
      answer: { text: 'no', by: OPERATOR },
    })
  })

  it('refuses to answer a feature that asked nothing', () => {
    const id = addFeature(store)
    const answered = answerFeature(store, id, 'yes', { actor: 'operator', by: OPERATOR })
    expect(answered.ok).toBe(false)
    expect(store.notes.list(id)).toEqual([])
  })

  it('shows an unanswered question without an answer', async () => {
    const coder = await agent('coding-1', 'coding')
    const id = addFeature(store, { claimedBy: 'coding-1' })
    await coder.call('feature_ask_human', { feature_id: id, question: 'Which font?' })
    const shown = await coder.call('feature_get_by_id', { feature_id: id })
    expect(shown.body).toMatchObject({
      state: 'needs_human',
      human_input: { question: 'Which font?', choices: null, answer: null },
    })
  })
})

describe('assigned features', () => {
  it('lets an agent with a batch claim only features of its batch', async () => {
    const one = addFeature(store)
    const other = addFeature(store)
    const coder = await agent('coding-1', 'coding', { assignedFeatureIds: [one] })
    expect((await coder.call('feature_claim_and_get', { feature_id: other })).body.code).toBe(
      'NOT_ASSIGNED',
    )
    expect((await coder.call('feature_claim_and_get', { feature_id: one })).isError).toBe(false)
  })
})
