/**
 * The lifecycle table (core/lifecycle.ts) holds whatever starts a change: random sequences of
 * operations from every entry point (the feature tools as coding agents, a testing agent and a
 * person call them; skip, unskip and answer as the CLI and the routes call them; the orchestrator's
 * claims, merges, rejections, releases and lease expiry) only ever move a feature along a pair
 * the table allows for the actor that made the change, never reach passing -> skipped, and leave a
 * feature in_progress exactly while a coding agent holds it.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { canTransition } from '../../../src/core/index.js'
import type { FeatureState, LifecycleActor } from '../../../src/core/index.js'
import {
  recordMerged,
  recordRejected,
  releaseUnfinished,
} from '../../../src/orchestrator/settle.js'
import {
  answerFeature,
  ProjectStore,
  skipFeature,
  unskipFeature,
} from '../../../src/store/index.js'
import { callFeatureTool, featureTool, OPERATOR } from '../../../src/tools/index.js'
import type { ToolName, ToolRole } from '../../../src/tools/index.js'
import { FakeClock } from '../../fakes/fake-clock.js'

const FEATURES = 4
const LEASE_MS = 1000
const AGENTS = [
  { id: 'c1', role: 'coding' },
  { id: 'c2', role: 'coding' },
  { id: 't1', role: 'testing' },
  { id: OPERATOR, role: 'operator' },
] as const satisfies ReadonlyArray<{ id: string; role: ToolRole }>
const TOOLS = [
  'feature_claim_and_get',
  'feature_mark_passing',
  'feature_mark_failing',
  'feature_skip',
  'feature_ask_human',
  'feature_clear_in_progress',
] as const satisfies readonly ToolName[]

type Op =
  | { kind: 'tool'; agent: number; tool: number; id: number; verify: boolean }
  | { kind: 'skip' | 'unskip' | 'answer'; id: number }
  | { kind: 'claim'; agent: number; ids: number[]; testing: boolean }
  | { kind: 'merged' | 'rejected' | 'unfinished'; agent: number; ids: number[] }
  | { kind: 'expire'; ms: number }

const id = fc.integer({ min: 1, max: FEATURES })
const ids = fc.uniqueArray(id, { minLength: 1, maxLength: 3 })
const agent = fc.integer({ min: 0, max: AGENTS.length - 1 })
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('tool' as const),
      agent,
      tool: fc.integer({ min: 0, max: TOOLS.length - 1 }),
      id,
      verify: fc.boolean(),
    }),
  },
  fc.record({ kind: fc.constantFrom('skip' as const, 'unskip' as const, 'answer' as const), id }),
  fc.record({
    kind: fc.constant('claim' as const),
    agent: fc.integer({ min: 0, max: 1 }),
    ids,
    testing: fc.boolean(),
  }),
  fc.record({
    kind: fc.constantFrom('merged' as const, 'rejected' as const, 'unfinished' as const),
    agent: fc.integer({ min: 0, max: 2 }),
    ids,
  }),
  fc.record({
    kind: fc.constant('expire' as const),
    ms: fc.integer({ min: 0, max: 2 * LEASE_MS }),
  }),
)

/** Runs one operation the way its entry point does; returns the actor the table must allow. */
function run(store: ProjectStore, clock: FakeClock, op: Op): LifecycleActor {
  const operator = { actor: 'operator', by: OPERATOR } as const
  switch (op.kind) {
    case 'tool': {
      const caller = AGENTS[op.agent]!
      const claim = store.claims.holder(op.id)
      callFeatureTool(
        featureTool(TOOLS[op.tool]!),
        {
          store,
          callerId: caller.id,
          role: caller.role,
          leaseMs: LEASE_MS,
          verifyPasses: op.verify,
        },
        { feature_id: op.id, question: 'which one?', reason: 'blocked' },
      )
      // Claiming makes the caller the holder, a person too (the claim is what moves the state).
      if (TOOLS[op.tool] === 'feature_claim_and_get') return 'holder'
      if (caller.role === 'operator') return 'operator'
      return claim?.agentId === caller.id && claim.kind === 'testing' ? 'tester' : 'holder'
    }
    case 'skip':
      skipFeature(store, op.id, operator, 'not now')
      return 'operator'
    case 'unskip':
      unskipFeature(store, op.id, operator)
      return 'operator'
    case 'answer':
      answerFeature(store, op.id, 'do it this way', operator)
      return 'operator'
    case 'claim':
      store.claims.claim(op.ids, AGENTS[op.agent]!.id, op.testing ? 'testing' : 'coding', LEASE_MS)
      return 'orchestrator'
    case 'merged':
      recordMerged(store, { agentId: AGENTS[op.agent]!.id, featureIds: op.ids, commit: 'abc' })
      return 'orchestrator'
    case 'rejected':
      recordRejected(store, {
        agentId: AGENTS[op.agent]!.id,
        featureIds: op.ids,
        outcome: { kind: 'check_failed', exitCode: 1, output: 'failed' },
        maxAttempts: 3,
      })
      return 'orchestrator'
    case 'unfinished':
      releaseUnfinished(store, AGENTS[op.agent]!.id, {
        countAttempt: true,
        maxAttempts: 3,
        reason: 'ended',
      })
      return 'orchestrator'
    case 'expire':
      clock.advance(op.ms)
      store.claims.reclaimExpired()
      return 'orchestrator'
  }
}

function states(store: ProjectStore): Map<number, FeatureState> {
  return new Map(store.features.list().map((feature) => [feature.id, feature.state]))
}

describe('feature lifecycle from every entry point', () => {
  it('never makes a move the table forbids', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
        const clock = new FakeClock()
        using store = ProjectStore.memory(clock)
        store.features.create(
          Array.from({ length: FEATURES }, (_, i) => ({
            category: 'c',
            name: `f${i + 1}`,
            description: '',
            steps: [],
            dependencies: [],
          })),
          { by: 'test' },
        )
        for (const step of ops) {
          const before = states(store)
          const lastEvent = store.events.lastId()
          const actor = run(store, clock, step)
          const label = JSON.stringify(step)
          // A step may make more than one move (a rejection at the attempt limit goes failing, then
          // needs_human): each recorded move must be one the table allows the step's actor.
          const moves = store.events
            .after(lastEvent)
            .flatMap((event) => (event.type === 'feature.state' ? [event] : []))
          for (const move of moves) {
            expect(
              canTransition(move.from, move.to, actor),
              `${label}: #${move.featureId} ${move.from} -> ${move.to} by ${actor}`,
            ).toBe(true)
            expect(move.from === 'passing' && move.to === 'skipped').toBe(false)
          }
          for (const [featureId, to] of states(store)) {
            const from = before.get(featureId)!
            // A change is one move the table allows (claims make theirs without a state event), or
            // the chain of moves recorded above, from the old state to the new.
            const chain = moves.filter((move) => move.featureId === featureId)
            const recorded =
              chain.length > 0 &&
              chain[0]!.from === from &&
              chain.at(-1)!.to === to &&
              chain.every((move, index) => index === 0 || chain[index - 1]!.to === move.from)
            expect(
              recorded || canTransition(from, to, actor),
              `${label}: #${featureId} ${from} -> ${to} by ${actor}, moves ${JSON.stringify(chain)}`,
            ).toBe(true)
            expect(from === 'passing' && to === 'skipped').toBe(false)
            const claim = store.claims.holder(featureId)
            expect(
              to === 'in_progress',
              `#${featureId} ${to} with claim ${JSON.stringify(claim)} after ${label}`,
            ).toBe(claim?.kind === 'coding')
          }
        }
      }),
      {
        numRuns: 200,
        examples: [
          // A rejection at the attempt limit of a feature the agent still holds: two moves at once
          // (in_progress -> failing -> needs_human), each one the orchestrator may make.
          [
            [
              { kind: 'rejected', agent: 0, ids: [3, 1] },
              { kind: 'rejected', agent: 0, ids: [3] },
              { kind: 'tool', agent: 0, tool: 0, id: 3, verify: false },
              { kind: 'rejected', agent: 0, ids: [3, 1] },
            ],
          ],
        ],
      },
    )
  })
})
