import { beforeEach, describe, expect, it } from 'vitest'

import type { SessionSpec } from '../../../src/agents/runtime.js'
import { runAgent } from '../../../src/agents/session-loop.js'
import type {
  AgentRun,
  AgentRunResult,
  SessionLoopOptions,
} from '../../../src/agents/session-loop.js'
import { ProjectStore } from '../../../src/store/project-store.js'
import { FakeClock } from '../../fakes/fake-clock.js'
import { end, failed, FakeRuntime, usage } from '../../fakes/fake-runtime.js'
import type { FakeStep } from '../../fakes/fake-runtime.js'

let clock: FakeClock
let store: ProjectStore
let starts: number[]

beforeEach(() => {
  clock = new FakeClock()
  store = ProjectStore.memory(clock)
  starts = []
  const created = store.features.create(
    [1, 2].map((n) => ({
      category: 'c',
      name: `f${n}`,
      description: '',
      steps: [],
      dependencies: [],
    })),
    { by: 'test' },
  )
  if (!created.ok) throw new Error(created.error.message)
})

const agentId = 'coding-1'
const pass = (id: number): FakeStep => ({
  effect: () =>
    void store.features.transition(id, 'passing', {
      by: 'test',
      actor: 'operator',
      reason: 'test',
    }),
})
const text = (t: string): FakeStep => ({ type: 'agent.text', agentId, text: t })

function spec(): SessionSpec {
  return {
    agentId,
    featureIds: [1],
    prompt: 'p',
    systemPrompt: 's',
    model: 'm',
    cwd: '/',
    env: {},
    tools: [],
    mcpServers: {},
    hooks: {},
    maxTurns: 10,
  }
}

const codingRun = (featureIds = [1]): AgentRun => ({
  agentId,
  role: 'coding',
  featureIds,
  model: 'm',
  session: () => {
    starts.push(clock.now())
    return spec()
  },
  isDone: () => featureIds.every((id) => store.features.get(id)?.state === 'passing'),
})

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve))
}

/** Runs the loop, moving the fake clock in steps until it finishes. */
async function drive(
  runtime: FakeRuntime,
  options: Partial<SessionLoopOptions> = {},
  run = codingRun(),
): Promise<AgentRunResult> {
  let result: AgentRunResult | undefined
  const done = runAgent(run, {
    runtime,
    store,
    clock,
    random: () => 0,
    idleTimeoutMs: 60_000,
    ...options,
  }).then((r) => (result = r))
  for (let step = 0; step < 5000 && result === undefined; step++) {
    await flush()
    if (result === undefined) clock.advance(500)
  }
  await done
  return result!
}

const relative = () => starts.map((t) => t - starts[0]!)
const eventsOf = (type: string) => store.events.after(0).filter((e) => e.type === type)

describe('runAgent', () => {
  it('stops when the store says the feature passes, not when the model says so', async () => {
    const runtime = new FakeRuntime([
      [text('All features are passing. No more work to do.')],
      [pass(1)],
    ])
    const result = await drive(runtime)
    expect(result.outcome).toBe('done')
    expect(result.iterations).toBe(2)
  })

  it('waits the auto-continue delay of 3 s between sessions', async () => {
    const runtime = new FakeRuntime([[], [pass(1)]])
    await drive(runtime)
    expect(relative()[1]).toBeGreaterThanOrEqual(3000)
    expect(relative()[1]).toBeLessThan(4000)
  })

  it('does not start when the assigned features already pass', async () => {
    store.features.transition(1, 'passing', { by: 'test', actor: 'operator', reason: 'test' })
    const runtime = new FakeRuntime([[]])
    const result = await drive(runtime)
    expect(result).toMatchObject({ outcome: 'done', iterations: 0 })
    expect(runtime.started).toHaveLength(0)
  })

  it('stops at the iteration cap with the work incomplete', async () => {
    const result = await drive(new FakeRuntime([[text('working')]]), { maxIterations: 3 })
    expect(result).toMatchObject({ outcome: 'incomplete', iterations: 3 })
    expect(eventsOf('agent.finished').at(-1)).toMatchObject({ outcome: 'incomplete' })
  })

  it('waits the retry-after of a rate limit before the next session', async () => {
    const runtime = new FakeRuntime([[failed('rate_limit', 429, 2000)], [pass(1)]])
    await drive(runtime)
    expect(relative()[1]).toBeGreaterThanOrEqual(2000)
    expect(relative()[1]).toBeLessThan(3000)
    expect(eventsOf('agent.rate_limited').at(-1)).toMatchObject({ status: 429, retryAfterMs: 2000 })
  })

  it('backs off 15 s, then 30 s on rate limits without retry-after', async () => {
    const runtime = new FakeRuntime([
      [failed('overloaded', 529)],
      [failed('rate_limit', 429)],
      [pass(1)],
    ])
    await drive(runtime)
    const [, second, third] = relative()
    expect(second).toBeGreaterThanOrEqual(15_000)
    expect(third! - second!).toBeGreaterThanOrEqual(30_000)
    expect(third! - second!).toBeLessThan(31_000)
  })

  it('retries other errors with a growing backoff and gives up after too many in a row', async () => {
    const result = await drive(new FakeRuntime([[failed('connection', null)]]), {
      maxConsecutiveErrors: 2,
    })
    expect(result.outcome).toBe('error')
    expect(result.iterations).toBe(3)
    expect(relative()).toEqual([0, expect.any(Number), expect.any(Number)])
    expect(relative()[1]).toBeGreaterThanOrEqual(30_000)
    expect(relative()[2]! - relative()[1]!).toBeGreaterThanOrEqual(60_000)
  })

  it('stops at once on a credential error and says how to fix it', async () => {
    const runtime = new FakeRuntime([[failed('auth', 401)]])
    const result = await drive(runtime)
    expect(result.outcome).toBe('error')
    expect(result.message).toContain('autocoder doctor')
    expect(runtime.started).toHaveLength(1)
  })

  it('interrupts a session that stays silent longer than the idle limit', async () => {
    const runtime = new FakeRuntime([[text('hello'), { silent: true }], [pass(1)]])
    const result = await drive(runtime, { idleTimeoutMs: 20_000 })
    expect(result.outcome).toBe('done')
    expect(runtime.interrupts).toBe(1)
    expect(eventsOf('agent.error')[0]).toMatchObject({ code: 'IDLE_TIMEOUT' })
  })

  it('counts signs of life (a long tool running) as activity', async () => {
    const alive: FakeStep = { type: 'session.alive' }
    const wait: FakeStep = { sleepMs: 15_000 }
    const runtime = new FakeRuntime([[alive, wait, alive, wait, alive, wait, pass(1)]], clock)
    const result = await drive(runtime, { idleTimeoutMs: 20_000 })
    expect(result).toMatchObject({ outcome: 'done', iterations: 1 })
    expect(runtime.interrupts).toBe(0)
  })

  it('carries on after a session that used all its turns, without an error backoff', async () => {
    const runtime = new FakeRuntime([[failed('max_turns', null)], [pass(1)]])
    await drive(runtime)
    expect(relative()[1]).toBeLessThan(4000)
    expect(eventsOf('agent.error')).toHaveLength(0)
  })

  it('kills a session that ignores the interrupt once the grace period is over', async () => {
    const runtime = new FakeRuntime([[{ deaf: true }], [pass(1)]])
    const result = await drive(runtime, { idleTimeoutMs: 10_000, interruptGraceMs: 5_000 })
    expect(result.outcome).toBe('done')
    expect(runtime.interrupts).toBe(1)
    expect(runtime.closes).toBe(1)
    expect(relative()[1]).toBeGreaterThanOrEqual(15_000)
  })

  it('caps the wall-clock time of a session', async () => {
    const runtime = new FakeRuntime([[{ silent: true }], [pass(1)]])
    await drive(runtime, { idleTimeoutMs: 3_600_000, sessionTimeoutMs: 30_000 })
    expect(eventsOf('agent.error')[0]).toMatchObject({ code: 'SESSION_TIMEOUT' })
    expect(relative()[1]).toBeGreaterThanOrEqual(30_000)
  })

  it('logs every event and records usage per session, attributed to its features', async () => {
    const spent = usage(0.5)
    const runtime = new FakeRuntime([
      [
        text('hi'),
        { type: 'agent.usage', agentId, featureIds: [1, 2], usage: spent },
        pass(1),
        pass(2),
        end('success', null, spent),
      ],
    ])
    const result = await drive(runtime, {}, codingRun([1, 2]))
    expect(result.usage.costUsd).toBe(0.5)
    expect(eventsOf('agent.text')).toHaveLength(1)
    expect(eventsOf('agent.usage')[0]).toMatchObject({ usage: spent })
    const [session] = store.sessions.list()
    expect(session).toMatchObject({ agentId, featureIds: [1, 2], usage: spent, outcome: 'success' })
    expect(store.sessions.costOfFeature(1)).toBeCloseTo(0.25)
  })

  it('renews the claims the agent holds while it runs', async () => {
    const claim = (): void => void store.claims.claim([1], agentId, 'coding', 30_000)
    const runtime = new FakeRuntime([
      [{ effect: claim }, text('working'), { silent: true }],
      [pass(1)],
    ])
    await drive(runtime, { leaseMs: 30_000, idleTimeoutMs: 100_000 })
    // Without renewal the 30 s lease would have run out during the 100 s silent session.
    expect(
      eventsOf('feature.released').filter((e) => 'reason' in e && e.reason === 'lease expired'),
    ).toHaveLength(0)
    expect(store.claims.reclaimExpired()).toHaveLength(0)
  })

  it('stops while waiting when aborted', async () => {
    const controller = new AbortController()
    const runtime = new FakeRuntime([[{ effect: () => controller.abort() }]])
    const result = await drive(runtime, { signal: controller.signal })
    expect(result.outcome).toBe('interrupted')
  })
})
