import { expect } from 'vitest'

import { unwrap } from '../../src/core/index.js'
import type { ProjectStore } from '../../src/store/index.js'
import { answerFeature } from '../../src/store/index.js'
import type { ToolName, ToolRole } from '../../src/tools/index.js'
import { addFeature } from './tool-clients.js'
import type { Reply } from './tool-clients.js'

/**
 * Every feature tool with its success and error cases, as data, so that the same table runs
 * against the in-process server (unit) and `autocoder mcp` over stdio (integration). Each case sets
 * up its own features on a clean board through the store, calls one tool as one caller, and checks
 * the reply and the store afterwards.
 */
export const CALLERS = {
  operator: 'operator',
  'coding-1': 'coding',
  'coding-2': 'coding',
  'testing-1': 'testing',
  'init-1': 'initializer',
} as const satisfies Record<string, ToolRole>
export type Caller = keyof typeof CALLERS

type Ids = Record<string, number>

export interface ToolCase {
  title: string
  caller: Caller
  tool: ToolName
  setup?: (store: ProjectStore) => Ids
  args: (ids: Ids) => unknown
  /** The expected error code; absent for a success. */
  error?: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are free-form JSON
  check?: (body: any, ids: Ids, store: ProjectStore) => void
}

const big = (length: number): string => 'x'.repeat(length)
const item = (name: string, depends_on_indices?: number[]) => ({
  category: 'bulk',
  name,
  description: 'd',
  steps: ['s'],
  ...(depends_on_indices ? { depends_on_indices } : {}),
})
const one = (store: ProjectStore, setup: Parameters<typeof addFeature>[1] = {}): Ids => ({
  a: addFeature(store, setup),
})
const stateOf = (store: ProjectStore, id: number | undefined) => store.features.get(id!)!.state
const holderOf = (store: ProjectStore, id: number | undefined) => store.claims.holder(id!)?.agentId

export const TOOL_CASES: ToolCase[] = [
  // reads
  {
    title: 'feature_get_stats counts features by state',
    caller: 'coding-1',
    tool: 'feature_get_stats',
    setup: (s) => ({
      a: addFeature(s),
      b: addFeature(s, { state: 'passing' }),
      c: addFeature(s, { claimedBy: 'coding-2' }),
    }),
    args: () => ({}),
    check: (body) =>
      expect(body).toMatchObject({
        passing: 1,
        in_progress: 1,
        total: 3,
        percentage: 33.3,
        pending: 1,
      }),
  },
  {
    title: 'feature_get_by_id returns the full feature',
    caller: 'coding-1',
    tool: 'feature_get_by_id',
    setup: (s) => one(s, { claimedBy: 'coding-2' }),
    args: (ids) => ({ feature_id: ids.a }),
    check: (body, ids) =>
      expect(body).toMatchObject({
        id: ids.a,
        steps: ['check it'],
        state: 'in_progress',
        in_progress: true,
        claimed_by: 'coding-2',
        human_input: null,
      }),
  },
  {
    title: 'feature_get_by_id refuses an unknown id',
    caller: 'coding-1',
    tool: 'feature_get_by_id',
    args: () => ({ feature_id: 987654 }),
    error: 'FEATURE_NOT_FOUND',
  },
  {
    title: 'feature_get_by_id refuses a string id',
    caller: 'coding-1',
    tool: 'feature_get_by_id',
    args: () => ({ feature_id: '1' }),
    error: 'INVALID_INPUT',
  },
  {
    title: 'feature_get_by_id refuses a missing id',
    caller: 'coding-1',
    tool: 'feature_get_by_id',
    args: () => ({}),
    error: 'INVALID_INPUT',
  },
  {
    title: 'feature_get_by_id refuses id 0',
    caller: 'coding-1',
    tool: 'feature_get_by_id',
    args: () => ({ feature_id: 0 }),
    error: 'INVALID_INPUT',
  },
  {
    title: 'feature_get_summary returns the short view',
    caller: 'testing-1',
    tool: 'feature_get_summary',
    setup: (s) => one(s, { state: 'passing' }),
    args: (ids) => ({ feature_id: ids.a }),
    check: (body, ids) =>
      expect(body).toEqual({
        id: ids.a,
        name: 'a feature',
        passes: true,
        in_progress: false,
        state: 'passing',
        dependencies: [],
      }),
  },
  {
    title: 'feature_get_summary refuses an unknown id',
    caller: 'testing-1',
    tool: 'feature_get_summary',
    args: () => ({ feature_id: 987654 }),
    error: 'FEATURE_NOT_FOUND',
  },
  {
    title: 'feature_get_ready lists only unclaimed features whose dependencies pass',
    caller: 'operator',
    tool: 'feature_get_ready',
    setup: (s) => {
      const a = addFeature(s)
      const done = addFeature(s, { state: 'passing' })
      return {
        a,
        done,
        b: addFeature(s, { deps: [a] }),
        c: addFeature(s, { deps: [done] }),
        taken: addFeature(s, { claimedBy: 'coding-2' }),
        asked: addFeature(s, { state: 'needs_human' }),
      }
    },
    args: () => ({ limit: 50 }),
    check: (body, ids) => {
      expect(body.features.map((f: { id: number }) => f.id).sort()).toEqual([ids.a, ids.c].sort())
      expect(body).toMatchObject({ count: 2, total_ready: 2 })
    },
  },
  {
    title: 'feature_get_ready refuses limit 0',
    caller: 'operator',
    tool: 'feature_get_ready',
    args: () => ({ limit: 0 }),
    error: 'INVALID_INPUT',
  },
  {
    title: 'feature_get_ready refuses limit 51',
    caller: 'operator',
    tool: 'feature_get_ready',
    args: () => ({ limit: 51 }),
    error: 'INVALID_INPUT',
  },
  {
    title: 'feature_get_blocked lists features waiting for dependencies',
    caller: 'operator',
    tool: 'feature_get_blocked',
    setup: (s) => {
      const a = addFeature(s)
      return { a, b: addFeature(s, { deps: [a] }) }
    },
    args: () => ({}),
    check: (body, ids) => {
      expect(body.features).toHaveLength(1)
      expect(body.features[0]).toMatchObject({ id: ids.b, blocked_by: [ids.a], missing: [] })
      expect(body.total_blocked).toBe(1)
    },
  },
  {
    title: 'feature_get_blocked refuses a string limit',
    caller: 'operator',
    tool: 'feature_get_blocked',
    args: () => ({ limit: 'ten' }),
    error: 'INVALID_INPUT',
  },
  {
    title: 'feature_get_graph returns nodes with statuses and dependency edges',
    caller: 'operator',
    tool: 'feature_get_graph',
    setup: (s) => {
      const done = addFeature(s, { state: 'passing' })
      const working = addFeature(s, { deps: [done], claimedBy: 'coding-1' })
      return { done, working, waiting: addFeature(s, { deps: [working] }) }
    },
    args: () => ({}),
    check: (body, ids) => {
      const status = Object.fromEntries(
        body.nodes.map((n: { id: number; status: string }) => [n.id, n.status]),
      )
      expect(status).toEqual({
        [ids.done!]: 'done',
        [ids.working!]: 'in_progress',
        [ids.waiting!]: 'blocked',
      })
      expect(body.edges).toEqual([
        { source: ids.done, target: ids.working },
        { source: ids.working, target: ids.waiting },
      ])
    },
  },
  {
    title: 'feature_get_notes returns notes oldest first, filtered by kind',
    caller: 'coding-1',
    tool: 'feature_get_notes',
    setup: (s) => {
      const ids = one(s)
      unwrap(s.notes.add(ids.a!, 'coding-2', 'note', 'first'))
      unwrap(s.notes.add(ids.a!, 'coding-2', 'evidence', 'second'))
      unwrap(s.notes.add(ids.a!, 'coding-2', 'evidence', 'third'))
      return ids
    },
    args: (ids) => ({ feature_id: ids.a, kinds: ['evidence'] }),
    check: (body) => {
      expect(body.notes.map((n: { text: string }) => n.text)).toEqual(['second', 'third'])
      expect(body).toMatchObject({ count: 2, total: 2 })
    },
  },
  {
    title: 'feature_get_notes refuses an unknown id',
    caller: 'coding-1',
    tool: 'feature_get_notes',
    args: () => ({ feature_id: 987654 }),
    error: 'FEATURE_NOT_FOUND',
  },
  // claims
  {
    title: 'feature_claim_and_get claims a pending feature for the caller',
    caller: 'coding-1',
    tool: 'feature_claim_and_get',
    setup: (s) => one(s),
    args: (ids) => ({ feature_id: ids.a }),
    check: (body, ids, s) => {
      expect(body).toMatchObject({
        id: ids.a,
        state: 'in_progress',
        claimed_by: 'coding-1',
        already_claimed: false,
      })
      expect(holderOf(s, ids.a)).toBe('coding-1')
    },
  },
  {
    title: 'feature_claim_and_get is idempotent for the holder',
    caller: 'coding-1',
    tool: 'feature_claim_and_get',
    setup: (s) => one(s, { claimedBy: 'coding-1' }),
    args: (ids) => ({ feature_id: ids.a }),
    check: (body) => expect(body.already_claimed).toBe(true),
  },
  {
    title: "feature_claim_and_get refuses another agent's feature and names the holder",
    caller: 'coding-1',
    tool: 'feature_claim_and_get',
    setup: (s) => one(s, { claimedBy: 'coding-2' }),
    args: (ids) => ({ feature_id: ids.a }),
    error: 'FEATURE_CLAIMED',
    check: (body, ids, s) => {
      expect(body.error).toContain('coding-2')
      expect(holderOf(s, ids.a)).toBe('coding-2')
    },
  },
  {
    title: 'feature_claim_and_get refuses a passing feature',
    caller: 'coding-1',
    tool: 'feature_claim_and_get',
    setup: (s) => one(s, { state: 'passing' }),
    args: (ids) => ({ feature_id: ids.a }),
    error: 'ALREADY_PASSING',
  },
  {
    title: 'feature_claim_and_get refuses a feature waiting for a person',
    caller: 'coding-1',
    tool: 'feature_claim_and_get',
    setup: (s) => one(s, { state: 'needs_human' }),
    args: (ids) => ({ feature_id: ids.a }),
    error: 'INVALID_STATE',
  },
  {
    title: 'feature_claim_and_get refuses an unknown id',
    caller: 'coding-1',
    tool: 'feature_claim_and_get',
    args: () => ({ feature_id: 987654 }),
    error: 'FEATURE_NOT_FOUND',
  },
  {
    title: 'feature_claim_and_get by a testing agent takes a testing claim on a passing feature',
    caller: 'testing-1',
    tool: 'feature_claim_and_get',
    setup: (s) => one(s, { state: 'passing' }),
    args: (ids) => ({ feature_id: ids.a }),
    check: (body, ids, s) => {
      expect(body).toMatchObject({ state: 'passing', claimed_by: 'testing-1' })
      expect(s.claims.holder(ids.a!)?.kind).toBe('testing')
    },
  },
  {
    title: 'feature_claim_and_get by a testing agent refuses a pending feature',
    caller: 'testing-1',
    tool: 'feature_claim_and_get',
    setup: (s) => one(s),
    args: (ids) => ({ feature_id: ids.a }),
    error: 'INVALID_STATE',
  },
  {
    title: "feature_claim_and_get shows the latest question and a person's answer",
    caller: 'coding-1',
    tool: 'feature_claim_and_get',
    setup: (s) => {
      const ids = one(s, { state: 'needs_human' })
      unwrap(
        s.notes.add(ids.a!, 'coding-2', 'question', 'Which database?', {
          choices: ['sqlite', 'postgres'],
        }),
      )
      unwrap(answerFeature(s, ids.a!, 'postgres', { actor: 'operator', by: 'alice' }))
      return ids
    },
    args: (ids) => ({ feature_id: ids.a }),
    check: (body) =>
      expect(body.human_input).toMatchObject({
        question: 'Which database?',
        choices: ['sqlite', 'postgres'],
        asked_by: 'coding-2',
        answer: { text: 'postgres', by: 'alice' },
      }),
  },
  {
    title: 'feature_mark_in_progress claims a pending feature',
    caller: 'coding-1',
    tool: 'feature_mark_in_progress',
    setup: (s) => one(s),
    args: (ids) => ({ feature_id: ids.a }),
    check: (body, ids, s) => {
      expect(body).toMatchObject({ id: ids.a, in_progress: true, claimed_by: 'coding-1' })
      expect(holderOf(s, ids.a)).toBe('coding-1')
    },
  },
  {
    title: 'feature_mark_in_progress refuses a feature the caller already holds',
    caller: 'coding-1',
    tool: 'feature_mark_in_progress',
    setup: (s) => one(s, { claimedBy: 'coding-1' }),
    args: (ids) => ({ feature_id: ids.a }),
    error: 'ALREADY_IN_PROGRESS',
  },
  {
    title: 'feature_mark_in_progress refuses a feature another agent holds',
    caller: 'coding-1',
    tool: 'feature_mark_in_progress',
    setup: (s) => one(s, { claimedBy: 'coding-2' }),
    args: (ids) => ({ feature_id: ids.a }),
    error: 'FEATURE_CLAIMED',
  },
  {
    title: 'feature_mark_in_progress refuses a passing feature',
    caller: 'coding-1',
    tool: 'feature_mark_in_progress',
    setup: (s) => one(s, { state: 'passing' }),
    args: (ids) => ({ feature_id: ids.a }),
    error: 'ALREADY_PASSING',
  },
  // marking
  {
    title: 'feature_mark_passing by the holder marks it passing and releases the claim',
    caller: 'coding-1',
    tool: 'feature_mark_passing',
    setup: (s) => one(s, { claimedBy: 'coding-1' }),
    args: (ids) => ({ feature_id: ids.a }),
    check: (body, ids, s) => {
      expect(body).toMatchObject({ success: true, feature_id: ids.a, name: 'a feature' })
      expect(stateOf(s, ids.a)).toBe('passing')
      expect(holderOf(s, ids.a)).toBeUndefined()
      expect(s.features.get(ids.a!)!.lastVerifiedAt).not.toBeNull()
    },
  },
  {
    title: 'feature_mark_passing refuses a caller without a claim',
    caller: 'coding-1',
    tool: 'feature_mark_passing',
    setup: (s) => one(s),
    args: (ids) => ({ feature_id: ids.a }),
    error: 'NOT_CLAIMED',
    check: (_b, ids, s) => expect(stateOf(s, ids.a)).toBe('pending'),
  },
  {
    title: "feature_mark_passing refuses another agent's feature",
    caller: 'coding-1',
    tool: 'feature_mark_passing',
    setup: (s) => one(s, { claimedBy: 'coding-2' }),
    args: (ids) => ({ feature_id: ids.a }),
    error: 'FEATURE_CLAIMED',
    check: (_b, ids, s) => expect(stateOf(s, ids.a)).toBe('in_progress'),
  },
  {
    title: 'feature_mark_passing by the operator needs no claim',
    caller: 'operator',
    tool: 'feature_mark_passing',
    setup: (s) => one(s),
    args: (ids) => ({ feature_id: ids.a }),
    check: (_b, ids, s) => expect(stateOf(s, ids.a)).toBe('passing'),
  },
  {
    title: 'feature_mark_passing refuses a feature that already passes',
    caller: 'operator',
    tool: 'feature_mark_passing',
    setup: (s) => one(s, { state: 'passing' }),
    args: (ids) => ({ feature_id: ids.a }),
    error: 'ALREADY_PASSING',
  },
  {
    title: 'feature_mark_passing by a tester confirms the feature and releases its claim',
    caller: 'testing-1',
    tool: 'feature_mark_passing',
    setup: (s) => one(s, { state: 'passing', claimedBy: 'testing-1', kind: 'testing' }),
    args: (ids) => ({ feature_id: ids.a }),
    check: (_b, ids, s) => {
      expect(stateOf(s, ids.a)).toBe('passing')
      expect(holderOf(s, ids.a)).toBeUndefined()
    },
  },
  {
    title: 'feature_mark_passing refuses an unknown id',
    caller: 'operator',
    tool: 'feature_mark_passing',
    args: () => ({ feature_id: 987654 }),
    error: 'FEATURE_NOT_FOUND',
  },
  {
    title: 'feature_mark_failing by a tester keeps its claim so no coder takes the feature',
    caller: 'testing-1',
    tool: 'feature_mark_failing',
    setup: (s) => one(s, { state: 'passing', claimedBy: 'testing-1', kind: 'testing' }),
    args: (ids) => ({ feature_id: ids.a }),
    check: (body, ids, s) => {
      expect(body.feature).toMatchObject({ state: 'failing', claimed_by: 'testing-1' })
      expect(holderOf(s, ids.a)).toBe('testing-1')
      expect(s.claims.claim([ids.a!], 'coding-1', 'coding', 60_000).ok).toBe(false)
    },
  },
  {
    title: 'feature_mark_failing by a coder releases the feature and counts an attempt',
    caller: 'coding-1',
    tool: 'feature_mark_failing',
    setup: (s) => one(s, { claimedBy: 'coding-1' }),
    args: (ids) => ({ feature_id: ids.a }),
    check: (_b, ids, s) => {
      expect(s.features.get(ids.a!)).toMatchObject({ state: 'failing', attempts: 1 })
      expect(holderOf(s, ids.a)).toBeUndefined()
    },
  },
  {
    title:
      'feature_mark_failing refuses a coder without the claim on a passing feature and points to notes',
    caller: 'coding-1',
    tool: 'feature_mark_failing',
    setup: (s) => one(s, { state: 'passing' }),
    args: (ids) => ({ feature_id: ids.a }),
    error: 'NOT_CLAIMED',
    check: (body, ids, s) => {
      expect(body.error).toContain('feature_add_note')
      expect(stateOf(s, ids.a)).toBe('passing')
    },
  },
  {
    title: 'feature_mark_failing by the operator needs no claim',
    caller: 'operator',
    tool: 'feature_mark_failing',
    setup: (s) => one(s, { state: 'passing' }),
    args: (ids) => ({ feature_id: ids.a }),
    check: (_b, ids, s) => expect(stateOf(s, ids.a)).toBe('failing'),
  },
  {
    title: 'feature_mark_failing refuses an unknown id',
    caller: 'operator',
    tool: 'feature_mark_failing',
    args: () => ({ feature_id: 987654 }),
    error: 'FEATURE_NOT_FOUND',
  },
  {
    title: 'feature_skip parks the feature at the end of the queue and releases it',
    caller: 'coding-1',
    tool: 'feature_skip',
    setup: (s) => ({ a: addFeature(s, { claimedBy: 'coding-1' }), b: addFeature(s) }),
    args: (ids) => ({ feature_id: ids.a, reason: 'needs a paid API key' }),
    check: (body, ids, s) => {
      const last = s.features.get(ids.b!)!.priority
      expect(body).toMatchObject({ id: ids.a, new_priority: last + 1, state: 'skipped' })
      expect(stateOf(s, ids.a)).toBe('skipped')
      expect(holderOf(s, ids.a)).toBeUndefined()
      expect(s.notes.list(ids.a!).map((n) => n.text)).toEqual(['Skipped: needs a paid API key'])
    },
  },
  {
    title: 'feature_skip refuses a passing feature',
    caller: 'operator',
    tool: 'feature_skip',
    setup: (s) => one(s, { state: 'passing' }),
    args: (ids) => ({ feature_id: ids.a }),
    error: 'ALREADY_PASSING',
  },
  {
    title: "feature_skip refuses another agent's feature",
    caller: 'coding-1',
    tool: 'feature_skip',
    setup: (s) => one(s, { claimedBy: 'coding-2' }),
    args: (ids) => ({ feature_id: ids.a }),
    error: 'FEATURE_CLAIMED',
  },
  {
    title: 'feature_skip refuses a reason over 2000 characters',
    caller: 'coding-1',
    tool: 'feature_skip',
    setup: (s) => one(s, { claimedBy: 'coding-1' }),
    args: (ids) => ({ feature_id: ids.a, reason: big(2001) }),
    error: 'INVALID_INPUT',
    check: (_b, ids, s) => expect(stateOf(s, ids.a)).toBe('in_progress'),
  },
  {
    title: 'feature_clear_in_progress releases the caller’s claim',
    caller: 'coding-1',
    tool: 'feature_clear_in_progress',
    setup: (s) => one(s, { claimedBy: 'coding-1' }),
    args: (ids) => ({ feature_id: ids.a }),
    check: (body, ids, s) => {
      expect(body).toMatchObject({ state: 'pending', released: true })
      expect(holderOf(s, ids.a)).toBeUndefined()
    },
  },
  {
    title: "feature_clear_in_progress refuses another agent's claim",
    caller: 'coding-1',
    tool: 'feature_clear_in_progress',
    setup: (s) => one(s, { claimedBy: 'coding-2' }),
    args: (ids) => ({ feature_id: ids.a }),
    error: 'FEATURE_CLAIMED',
    check: (_b, ids, s) => expect(holderOf(s, ids.a)).toBe('coding-2'),
  },
  {
    title: 'feature_clear_in_progress by the operator releases any claim',
    caller: 'operator',
    tool: 'feature_clear_in_progress',
    setup: (s) => one(s, { claimedBy: 'coding-2' }),
    args: (ids) => ({ feature_id: ids.a }),
    check: (_b, ids, s) => expect(holderOf(s, ids.a)).toBeUndefined(),
  },
  // questions and notes
  {
    title: 'feature_ask_human parks the feature for a person and releases the claim',
    caller: 'coding-1',
    tool: 'feature_ask_human',
    setup: (s) => one(s, { claimedBy: 'coding-1' }),
    args: (ids) => ({
      feature_id: ids.a,
      question: 'Stripe or PayPal?',
      choices: ['Stripe', 'PayPal'],
    }),
    check: (body, ids, s) => {
      expect(body).toMatchObject({ success: true, state: 'needs_human' })
      expect(stateOf(s, ids.a)).toBe('needs_human')
      expect(holderOf(s, ids.a)).toBeUndefined()
      expect(s.notes.latest(ids.a!, 'question')).toMatchObject({
        text: 'Stripe or PayPal?',
        author: 'coding-1',
        data: { choices: ['Stripe', 'PayPal'] },
      })
    },
  },
  {
    title: 'feature_ask_human refuses a caller without the claim',
    caller: 'coding-1',
    tool: 'feature_ask_human',
    setup: (s) => one(s),
    args: (ids) => ({ feature_id: ids.a, question: 'Why?' }),
    error: 'NOT_CLAIMED',
  },
  {
    title: 'feature_ask_human refuses an empty question',
    caller: 'coding-1',
    tool: 'feature_ask_human',
    setup: (s) => one(s, { claimedBy: 'coding-1' }),
    args: (ids) => ({ feature_id: ids.a, question: '   ' }),
    error: 'INVALID_INPUT',
  },
  {
    title: 'feature_ask_human refuses a single choice',
    caller: 'coding-1',
    tool: 'feature_ask_human',
    setup: (s) => one(s, { claimedBy: 'coding-1' }),
    args: (ids) => ({ feature_id: ids.a, question: 'Ok?', choices: ['yes'] }),
    error: 'INVALID_INPUT',
  },
  {
    title: 'feature_ask_human refuses a one-megabyte question and changes nothing',
    caller: 'coding-1',
    tool: 'feature_ask_human',
    setup: (s) => one(s, { claimedBy: 'coding-1' }),
    args: (ids) => ({ feature_id: ids.a, question: big(1_000_000) }),
    error: 'INVALID_INPUT',
    check: (_b, ids, s) => {
      expect(stateOf(s, ids.a)).toBe('in_progress')
      expect(s.notes.list(ids.a!)).toEqual([])
    },
  },
  {
    title: 'feature_add_note stores evidence on any feature',
    caller: 'coding-1',
    tool: 'feature_add_note',
    setup: (s) => one(s, { state: 'passing' }),
    args: (ids) => ({ feature_id: ids.a, text: 'Ran npm test: 42 passed', kind: 'evidence' }),
    check: (body, ids, s) => {
      expect(body.note).toMatchObject({
        kind: 'evidence',
        author: 'coding-1',
        text: 'Ran npm test: 42 passed',
      })
      expect(s.notes.list(ids.a!)).toHaveLength(1)
    },
  },
  {
    title: 'feature_add_note refuses an unknown id',
    caller: 'coding-1',
    tool: 'feature_add_note',
    args: () => ({ feature_id: 987654, text: 'x' }),
    error: 'FEATURE_NOT_FOUND',
  },
  {
    title: 'feature_add_note refuses to forge an answer',
    caller: 'coding-1',
    tool: 'feature_add_note',
    setup: (s) => one(s),
    args: (ids) => ({ feature_id: ids.a, text: 'yes', kind: 'answer' }),
    error: 'INVALID_INPUT',
    check: (_b, ids, s) => expect(s.notes.list(ids.a!)).toEqual([]),
  },
  // creating
  {
    title: 'feature_create adds a feature at the end of the queue',
    caller: 'init-1',
    tool: 'feature_create',
    setup: (s) => one(s),
    args: () => ({
      category: 'auth',
      name: 'Log in',
      description: 'Users log in with email',
      steps: ['open /login', 'submit'],
    }),
    check: (body, ids, s) => {
      expect(body).toMatchObject({
        success: true,
        feature: { name: 'Log in', state: 'pending', dependencies: [] },
      })
      expect(s.features.get(body.feature.id)!.priority).toBe(s.features.get(ids.a!)!.priority + 1)
    },
  },
  {
    title: 'feature_create refuses a feature without steps',
    caller: 'init-1',
    tool: 'feature_create',
    args: () => ({ category: 'auth', name: 'Log in', description: 'd', steps: [] }),
    error: 'INVALID_INPUT',
    check: (_b, _i, s) => expect(s.features.count()).toBe(0),
  },
  {
    title: 'feature_create refuses a missing description',
    caller: 'init-1',
    tool: 'feature_create',
    args: () => ({ category: 'auth', name: 'Log in', steps: ['s'] }),
    error: 'INVALID_INPUT',
  },
  {
    title: 'feature_create refuses a 256-character name',
    caller: 'init-1',
    tool: 'feature_create',
    args: () => ({ category: 'auth', name: big(256), description: 'd', steps: ['s'] }),
    error: 'INVALID_INPUT',
    check: (_b, _i, s) => expect(s.features.count()).toBe(0),
  },
  {
    title: 'feature_create_bulk creates features with backward dependencies in list order',
    caller: 'init-1',
    tool: 'feature_create_bulk',
    args: () => ({ features: [item('one'), item('two'), item('three', [0, 1])] }),
    check: (body, _ids, s) => {
      expect(body).toMatchObject({ created: 3, with_dependencies: 1, last_id: body.first_id + 2 })
      const [one1, two, three] = s.features.list()
      expect(three!.dependencies).toEqual([one1!.id, two!.id])
      expect([one1!.priority + 1, one1!.priority + 2]).toEqual([two!.priority, three!.priority])
    },
  },
  {
    title: 'feature_create_bulk refuses a forward reference and creates nothing',
    caller: 'init-1',
    tool: 'feature_create_bulk',
    args: () => ({ features: [item('one', [1]), item('two')] }),
    error: 'FORWARD_REFERENCE',
    check: (_b, _i, s) => expect(s.features.count()).toBe(0),
  },
  {
    title: 'feature_create_bulk refuses a self reference',
    caller: 'init-1',
    tool: 'feature_create_bulk',
    args: () => ({ features: [item('one'), item('two', [1])] }),
    error: 'FORWARD_REFERENCE',
    check: (_b, _i, s) => expect(s.features.count()).toBe(0),
  },
  {
    title: 'feature_create_bulk refuses duplicate dependency indices',
    caller: 'init-1',
    tool: 'feature_create_bulk',
    args: () => ({ features: [item('one'), item('two', [0, 0])] }),
    error: 'DUPLICATE_DEPENDENCY',
    check: (_b, _i, s) => expect(s.features.count()).toBe(0),
  },
  {
    title: 'feature_create_bulk refuses a bad last item and creates nothing',
    caller: 'init-1',
    tool: 'feature_create_bulk',
    args: () => ({ features: [item('one'), item('two'), { ...item('three'), category: '' }] }),
    error: 'INVALID_INPUT',
    check: (_b, _i, s) => expect(s.features.count()).toBe(0),
  },
  {
    title: 'feature_create_bulk refuses 10,000 features as a whole and creates nothing',
    caller: 'init-1',
    tool: 'feature_create_bulk',
    args: () => ({ features: Array.from({ length: 10_000 }, (_, i) => item(`feature ${i}`)) }),
    error: 'INVALID_INPUT',
    check: (body, _ids, s) => {
      expect(body.error).toContain('at most 1000 features per call')
      expect(s.features.count()).toBe(0)
    },
  },
  {
    title: 'feature_create_bulk refuses an empty list',
    caller: 'init-1',
    tool: 'feature_create_bulk',
    args: () => ({ features: [] }),
    error: 'INVALID_INPUT',
  },
  // dependencies
  {
    title: 'feature_add_dependency adds a dependency',
    caller: 'init-1',
    tool: 'feature_add_dependency',
    setup: (s) => ({ a: addFeature(s), b: addFeature(s) }),
    args: (ids) => ({ feature_id: ids.b, dependency_id: ids.a }),
    check: (body, ids, s) => {
      expect(body).toEqual({ success: true, feature_id: ids.b, dependencies: [ids.a] })
      expect(s.features.get(ids.b!)!.dependencies).toEqual([ids.a])
    },
  },
  {
    title: 'feature_add_dependency refuses a self dependency',
    caller: 'init-1',
    tool: 'feature_add_dependency',
    setup: (s) => one(s),
    args: (ids) => ({ feature_id: ids.a, dependency_id: ids.a }),
    error: 'SELF_DEPENDENCY',
  },
  {
    title: 'feature_add_dependency refuses a cycle and names it',
    caller: 'init-1',
    tool: 'feature_add_dependency',
    setup: (s) => {
      const a = addFeature(s)
      return { a, b: addFeature(s, { deps: [a] }) }
    },
    args: (ids) => ({ feature_id: ids.a, dependency_id: ids.b }),
    error: 'DEPENDENCY_CYCLE',
    check: (body, ids, s) => {
      expect(body.error).toContain(`${ids.a} -> ${ids.b} -> ${ids.a}`)
      expect(s.features.get(ids.a!)!.dependencies).toEqual([])
    },
  },
  {
    title: 'feature_add_dependency refuses a dependency already there',
    caller: 'init-1',
    tool: 'feature_add_dependency',
    setup: (s) => {
      const a = addFeature(s)
      return { a, b: addFeature(s, { deps: [a] }) }
    },
    args: (ids) => ({ feature_id: ids.b, dependency_id: ids.a }),
    error: 'DUPLICATE_DEPENDENCY',
  },
  {
    title: 'feature_add_dependency refuses an unknown dependency',
    caller: 'init-1',
    tool: 'feature_add_dependency',
    setup: (s) => one(s),
    args: (ids) => ({ feature_id: ids.a, dependency_id: 987654 }),
    error: 'UNKNOWN_DEPENDENCY',
  },
  {
    title: 'feature_add_dependency refuses an unknown feature',
    caller: 'init-1',
    tool: 'feature_add_dependency',
    setup: (s) => one(s),
    args: (ids) => ({ feature_id: 987654, dependency_id: ids.a }),
    error: 'FEATURE_NOT_FOUND',
  },
  {
    title: 'feature_add_dependency refuses a 21st dependency',
    caller: 'init-1',
    tool: 'feature_add_dependency',
    setup: (s) => {
      const deps = Array.from({ length: 20 }, () => addFeature(s))
      return { a: addFeature(s, { deps }), extra: addFeature(s) }
    },
    args: (ids) => ({ feature_id: ids.a, dependency_id: ids.extra }),
    error: 'TOO_MANY_DEPENDENCIES',
    check: (_b, ids, s) => expect(s.features.get(ids.a!)!.dependencies).toHaveLength(20),
  },
  {
    title: 'feature_remove_dependency removes a dependency',
    caller: 'init-1',
    tool: 'feature_remove_dependency',
    setup: (s) => {
      const a = addFeature(s)
      return { a, b: addFeature(s, { deps: [a] }) }
    },
    args: (ids) => ({ feature_id: ids.b, dependency_id: ids.a }),
    check: (body, ids) =>
      expect(body).toEqual({ success: true, feature_id: ids.b, dependencies: [] }),
  },
  {
    title: 'feature_remove_dependency refuses a dependency that is not there',
    caller: 'init-1',
    tool: 'feature_remove_dependency',
    setup: (s) => ({ a: addFeature(s), b: addFeature(s) }),
    args: (ids) => ({ feature_id: ids.b, dependency_id: ids.a }),
    error: 'DEPENDENCY_NOT_FOUND',
  },
  {
    title: 'feature_set_dependencies replaces the list, sorted',
    caller: 'init-1',
    tool: 'feature_set_dependencies',
    setup: (s) => ({ a: addFeature(s), b: addFeature(s), c: addFeature(s) }),
    args: (ids) => ({ feature_id: ids.c, dependency_ids: [ids.b, ids.a] }),
    check: (body, ids) => expect(body.dependencies).toEqual([ids.a, ids.b]),
  },
  {
    title: 'feature_set_dependencies with an empty list clears them',
    caller: 'init-1',
    tool: 'feature_set_dependencies',
    setup: (s) => {
      const a = addFeature(s)
      return { a, b: addFeature(s, { deps: [a] }) }
    },
    args: (ids) => ({ feature_id: ids.b, dependency_ids: [] }),
    check: (body) => expect(body.dependencies).toEqual([]),
  },
  {
    title: 'feature_set_dependencies refuses duplicates',
    caller: 'init-1',
    tool: 'feature_set_dependencies',
    setup: (s) => ({ a: addFeature(s), b: addFeature(s) }),
    args: (ids) => ({ feature_id: ids.b, dependency_ids: [ids.a, ids.a] }),
    error: 'DUPLICATE_DEPENDENCY',
  },
  {
    title: 'feature_set_dependencies refuses a self reference',
    caller: 'init-1',
    tool: 'feature_set_dependencies',
    setup: (s) => one(s),
    args: (ids) => ({ feature_id: ids.a, dependency_ids: [ids.a] }),
    error: 'SELF_DEPENDENCY',
  },
  {
    title: 'feature_set_dependencies refuses a cycle and keeps the old list',
    caller: 'init-1',
    tool: 'feature_set_dependencies',
    setup: (s) => {
      const a = addFeature(s)
      const b = addFeature(s, { deps: [a] })
      return { a, b, c: addFeature(s, { deps: [b] }) }
    },
    args: (ids) => ({ feature_id: ids.a, dependency_ids: [ids.c] }),
    error: 'DEPENDENCY_CYCLE',
    check: (_b, ids, s) => expect(s.features.get(ids.a!)!.dependencies).toEqual([]),
  },
  {
    title: 'feature_set_dependencies refuses 21 dependencies',
    caller: 'init-1',
    tool: 'feature_set_dependencies',
    setup: (s) => one(s),
    args: (ids) => ({
      feature_id: ids.a,
      dependency_ids: Array.from({ length: 21 }, (_, i) => i + 1),
    }),
    error: 'INVALID_INPUT',
  },
  {
    title: 'feature_set_dependencies refuses an unknown dependency',
    caller: 'init-1',
    tool: 'feature_set_dependencies',
    setup: (s) => one(s),
    args: (ids) => ({ feature_id: ids.a, dependency_ids: [987654] }),
    error: 'UNKNOWN_DEPENDENCY',
  },
]

/** Checks a reply against its case: success or the expected error code, and the case's own checks. */
export function expectCaseOutcome(
  testCase: ToolCase,
  reply: Reply,
  ids: Ids,
  store: ProjectStore,
): void {
  if (testCase.error) {
    expect(reply.isError, reply.text).toBe(true)
    expect(reply.body.code, reply.text).toBe(testCase.error)
    expect(typeof reply.body.error).toBe('string')
    expect(reply.body.error).not.toMatch(/\n\s+at /)
  } else {
    expect(reply.isError, reply.text).toBe(false)
  }
  testCase.check?.(reply.body, ids, store)
}

/** The tool.called event appended for the last call. */
export function expectLogged(
  store: ProjectStore,
  afterId: number,
  testCase: ToolCase,
  reply: Reply,
  callerId: string,
): void {
  const logged = store.events.after(afterId).filter((event) => event.type === 'tool.called')
  expect(logged).toHaveLength(1)
  expect(logged[0]).toMatchObject({
    tool: testCase.tool,
    caller: callerId,
    outcome: reply.isError ? 'error' : 'ok',
  })
}
