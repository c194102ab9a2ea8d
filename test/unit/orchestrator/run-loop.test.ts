import { beforeEach, describe, expect, it } from 'vitest'

import type { AppEvent } from '../../../src/core/events.js'
import { Orchestrator, sharedWorkspace } from '../../../src/orchestrator/index.js'
import type { OrchestratorOptions, WorkspacePort } from '../../../src/orchestrator/index.js'
import { ProjectStore } from '../../../src/store/index.js'
import { FakeClock } from '../../fakes/fake-clock.js'
import { simLauncher } from '../../fakes/sim-launcher.js'
import type { SimLauncherOptions } from '../../fakes/sim-launcher.js'

let clock: FakeClock
let store: ProjectStore
let events: AppEvent[]
let n = 0

beforeEach(() => {
  clock = new FakeClock()
  store = ProjectStore.memory(clock)
  events = []
  store.events.subscribe((event) => events.push(event))
})

/** Features 1..n; `deps[i]` lists the dependencies of feature i+1. */
function board(deps: number[][], categories?: string[]): void {
  const created = store.features.create(
    deps.map((_, index) => ({
      category: categories?.[index] ?? 'core',
      name: `feature ${index + 1}`,
      description: '',
      steps: [],
      dependencies: [],
    })),
    { by: 'test' },
  )
  if (!created.ok) throw new Error(created.error.message)
  for (const [index, list] of deps.entries()) {
    if (list.length > 0) {
      const set = store.features.setDependencies(index + 1, list, 'test')
      if (!set.ok) throw new Error(set.error.message)
    }
  }
}

function orchestrator(
  options: Partial<OrchestratorOptions> & { sim?: Partial<SimLauncherOptions> } = {},
): Orchestrator {
  const { sim, ...rest } = options
  return new Orchestrator({
    store,
    launcher: simLauncher({ store, clock, ...sim }),
    workspace: sharedWorkspace('/nonexistent'),
    environment: { clock, random: () => 0.5, newId: () => `id${++n}`, host: 'test' },
    ...rest,
  })
}

/** Who held which feature, replayed from the event log: fails on any double hold. */
function holdsNeverOverlap(): void {
  const holder = new Map<number, { agentId: string; kind: string }>()
  for (const event of events) {
    if (event.type === 'feature.claimed') {
      const current = holder.get(event.featureId)
      if (current && current.agentId !== event.agentId)
        throw new Error(`#${event.featureId} held by ${current.agentId} and ${event.agentId}`)
      holder.set(event.featureId, { agentId: event.agentId, kind: event.kind })
    }
    if (event.type === 'feature.released') holder.delete(event.featureId)
  }
  expect(holder.size).toBe(0)
}

const chains = (): number[][] => [
  [],
  [1],
  [2],
  [],
  [4],
  [4],
  [5, 6],
  [],
  [8],
  [3, 9],
  [],
  [],
  [10, 11],
  [13],
  [14],
]

describe('the run loop', () => {
  it('runs a dependency board until every feature passes exactly once', async () => {
    board(chains())
    const report = await orchestrator({
      settings: { concurrency: 3, testingAgents: 1, batchSize: 3 },
    }).run()
    expect(report.ok && report.value.reason).toBe('complete')
    expect(store.features.stats().passing).toBe(15)
    const passes = events.filter(
      (event) => event.type === 'feature.state' && event.to === 'passing',
    )
    expect(
      passes.map((event) => (event as { featureId: number }).featureId).sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 15 }, (_, index) => index + 1))
    holdsNeverOverlap()
    expect(store.claims.list()).toEqual([])
    expect(store.notes.list(7, ['evidence'])[0]?.text).toMatch(/Verified: merged in simulated-/)
  })

  it('never runs more coding agents than the concurrency and fills every slot', async () => {
    board(
      Array.from({ length: 12 }, () => []),
      Array.from({ length: 12 }, (_, i) => `c${i}`),
    )
    let running = 0
    let peak = 0
    const orch = orchestrator({
      settings: { concurrency: 3, batchSize: 1 },
      sim: { durationMs: () => 1000 },
    })
    store.events.subscribe((event) => {
      if (event.type === 'agent.started') peak = Math.max(peak, ++running)
      if (event.type === 'agent.finished') running--
    })
    const done = orch.run()
    await drive(() => events.some((event) => event.type === 'run.finished'))
    const report = await done
    expect(report.ok && report.value.reason).toBe('complete')
    expect(peak).toBe(3)
  })

  it('stops with a report naming the cycle and the missing dependency', async () => {
    board([[], [], [], []])
    const edge = store.db.prepare(
      'INSERT INTO feature_dependencies (feature_id, depends_on) VALUES (?, ?)',
    )
    edge.run(2, 3)
    edge.run(3, 2)
    edge.run(4, 99)
    const report = await orchestrator().run()
    if (!report.ok) throw new Error(report.error.message)
    expect(report.value.reason).toBe('deadlock')
    expect(report.value.message).toContain('cycle: #2 -> #3 -> #2')
    expect(report.value.message).toContain('#4 feature 4: pending; depends on missing #99')
    expect(store.features.get(1)?.state).toBe('passing')
    expect(events.some((event) => event.type === 'run.deadlock')).toBe(true)
  })

  it('sends a feature to a person after its attempts run out, and goes on after the answer', async () => {
    board([[], [1]])
    let lazy = true
    const orch = orchestrator({
      settings: { maxAttempts: 2, waitForAnswers: true },
      sim: {
        act: (assignment, s) => {
          if (lazy && assignment.featureIds.includes(1)) return
          for (const claim of s.claims.heldBy(assignment.agentId))
            s.claims.report(claim.featureId, assignment.agentId, 'passing')
        },
      },
    })
    store.events.subscribe((event) => {
      if (event.type === 'feature.state' && event.to === 'needs_human') {
        lazy = false
        queueMicrotask(() => {
          const answered = orch.answer(event.featureId, 'use a plain list')
          if (!answered.ok) throw new Error(answered.error.message)
        })
      }
    })
    const report = await orch.run()
    expect(report.ok && report.value.reason).toBe('complete')
    expect(store.features.get(1)?.attempts).toBe(2)
    expect(store.notes.list(1, ['question', 'answer']).map((note) => note.kind)).toEqual([
      'question',
      'answer',
    ])
  })

  it('drains and says why when the cost budget is reached', async () => {
    board(Array.from({ length: 10 }, (_, i) => (i === 0 ? [] : [i])))
    const report = await orchestrator({
      settings: { maxCostUsd: 0.25, batchSize: 1 },
      sim: { costUsd: 0.1 },
    }).run()
    if (!report.ok) throw new Error(report.error.message)
    expect(report.value.reason).toBe('budget')
    expect(report.value.message).toMatch(/Budget reached: spent \$0\.30 of \$0\.25/)
    expect(store.features.stats().passing).toBe(3)
  })

  it('refuses a second orchestrator on the same project, naming the holder', async () => {
    board([[]])
    const first = orchestrator({ sim: { durationMs: () => 1000 } })
    const running = first.run()
    await drive(() => events.some((event) => event.type === 'agent.started'), false)
    const second = await orchestrator().run()
    expect(second.ok).toBe(false)
    if (!second.ok)
      expect(second.error.message).toMatch(
        new RegExp(`Another orchestrator \\(${first.runId}, pid ${process.pid} on test\\)`),
      )
    await drive(() => events.some((event) => event.type === 'run.finished'))
    expect((await running).ok).toBe(true)
  })

  it('stops on request: interrupts agents, releases their claims and counts no attempt', async () => {
    board([[], []], ['a', 'b'])
    const orch = orchestrator({
      settings: { concurrency: 2, batchSize: 1 },
      sim: { durationMs: () => 60_000 },
    })
    const running = orch.run()
    await drive(() => events.filter((event) => event.type === 'agent.started').length === 2, false)
    orch.stop('test')
    const report = await running
    expect(report.ok && report.value.reason).toBe('stopped')
    expect(store.claims.list()).toEqual([])
    expect(store.features.list().map((f) => [f.state, f.attempts])).toEqual([
      ['pending', 0],
      ['pending', 0],
    ])
  })

  it('starts nothing while paused and refills the new slots after a concurrency change', async () => {
    board(
      Array.from({ length: 6 }, () => []),
      ['a', 'b', 'c', 'd', 'e', 'f'],
    )
    const orch = orchestrator({
      settings: { concurrency: 1, batchSize: 1 },
      sim: { durationMs: () => 1000 },
    })
    const running = orch.run()
    await drive(() => events.some((event) => event.type === 'agent.started'), false)
    orch.pause()
    clock.advance(1000)
    await settle()
    const startedWhilePaused = events.filter((event) => event.type === 'agent.started').length
    expect(startedWhilePaused).toBe(1)
    orch.setConcurrency({ coding: 3 })
    orch.resume()
    await settle()
    expect(orch.status().agents.length).toBe(3)
    await drive(() => events.some((event) => event.type === 'run.finished'))
    expect((await running).ok).toBe(true)
    expect(store.features.stats().passing).toBe(6)
  })

  it('sends rejected merges back with evidence and one more attempt, then merges the retry', async () => {
    board([[]])
    const shared = sharedWorkspace('/nonexistent')
    let merges = 0
    const workspace: WorkspacePort = {
      ...shared,
      merge: (input) =>
        ++merges === 1
          ? Promise.resolve({
              kind: 'conflict',
              files: ['shared.txt'],
              detail: 'CONFLICT (content)',
            })
          : shared.merge(input),
    }
    const report = await orchestrator({ workspace }).run()
    expect(report.ok && report.value.reason).toBe('complete')
    expect(store.features.get(1)).toMatchObject({ state: 'passing', attempts: 1 })
    expect(store.notes.list(1, ['evidence'])[0]?.text).toMatch(
      /conflicts with the project branch in shared.txt/,
    )
    expect(events.filter((event) => event.type === 'merge.conflict')).toHaveLength(1)
  })

  it('runs the initializer on an empty board, then the features it created', async () => {
    const report = await orchestrator({
      sim: {
        act: (assignment, s) => {
          if (assignment.role === 'initializer') {
            s.features.create(
              [{ category: 'a', name: 'one', description: '', steps: [], dependencies: [] }],
              { by: assignment.agentId },
            )
          } else
            for (const claim of s.claims.heldBy(assignment.agentId))
              s.claims.report(claim.featureId, assignment.agentId, 'passing')
        },
      },
    }).run()
    expect(report.ok && report.value.reason).toBe('complete')
    expect(
      events
        .filter((event) => event.type === 'agent.started')
        .map((event) => (event as { role: string }).role),
    ).toEqual(['initializer', 'coding'])
  })

  it('releases claims that agents of a dead run left behind before it starts', async () => {
    board([[]])
    store.claims.claim([1], 'c9-deadrun', 'coding', 60_000)
    const report = await orchestrator().run()
    if (!report.ok) throw new Error(report.error.message)
    expect(report.value.recovery?.releasedClaims).toEqual([1])
    expect(report.value.reason).toBe('complete')
  })
})

/** Lets promise chains run (no timers involved). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve))
}

/** Advances the fake clock step by step until `done()`; `advance` false only lets promises run. */
async function drive(done: () => boolean, advance = true, stepMs = 100): Promise<void> {
  for (let i = 0; i < 10_000 && !done(); i++) {
    await settle()
    if (!done() && advance) clock.advance(stepMs)
  }
  if (!done()) throw new Error('drive: condition never met')
}

describe('the run loop, more paths', () => {
  it('counts no attempt for an agent that could not be set up (no session ran), one for an agent whose session failed', async () => {
    board([[], []], ['a', 'b'])
    const sim = simLauncher({ store, clock })
    const failedOnce = new Set<number>()
    const zero = {
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: 0,
    }
    const report = await orchestrator({
      settings: { batchSize: 1, maxAttempts: 1 },
      launcher: async (assignment) => {
        const [id] = assignment.featureIds
        if (id === undefined || failedOnce.has(id)) return sim(assignment)
        failedOnce.add(id)
        // #1: its sandbox did not start, as the SDK launcher reports it; #2: its one session failed.
        return id === 1
          ? { outcome: 'error', iterations: 0, usage: zero, message: 'The sandbox did not start' }
          : { outcome: 'error', iterations: 1, usage: zero, message: 'The session failed' }
      },
    }).run()
    // #2 used its one attempt and waits for a person; with nobody answering, the run stops there.
    expect(report.ok && report.value.reason).toBe('deadlock')
    expect(store.features.list().map((f) => [f.id, f.state, f.attempts])).toEqual([
      [1, 'passing', 0],
      [2, 'needs_human', 1],
    ])
  })

  it('stops on a deadlock even with testing agents, instead of re-testing forever', async () => {
    board([[], [], []])
    const edge = store.db.prepare(
      'INSERT INTO feature_dependencies (feature_id, depends_on) VALUES (?, ?)',
    )
    edge.run(2, 3)
    edge.run(3, 2)
    const report = await orchestrator({ settings: { testingAgents: 2 } }).run()
    expect(report.ok && report.value.reason).toBe('deadlock')
  })

  it('merges a regression a tester found and fixed, through the same verified path', async () => {
    board([[], [1]])
    let tested = false
    const report = await orchestrator({
      settings: { testingAgents: 1, batchSize: 1 },
      sim: {
        act: (assignment, s) => {
          for (const claim of s.claims.heldBy(assignment.agentId)) {
            if (claim.kind === 'coding')
              s.claims.report(claim.featureId, assignment.agentId, 'passing')
            else if (!tested) {
              tested = true
              s.features.transition(claim.featureId, 'failing', {
                by: assignment.agentId,
                actor: 'tester',
                reason: 'regression',
              })
              s.claims.report(claim.featureId, assignment.agentId, 'passing')
            }
          }
        },
      },
    }).run()
    expect(report.ok && report.value.reason).toBe('complete')
    expect(tested).toBe(true)
    const merges = events.filter((event) => event.type === 'merge.succeeded')
    expect(merges.map((event) => (event as { agentId: string }).agentId[0]).sort()).toEqual([
      'c',
      'c',
      't',
    ])
    expect(store.features.get(1)?.state).toBe('passing')
  })

  it('sends features whose merged result fails the check back as failing with the output as evidence', async () => {
    board([[]])
    const shared = sharedWorkspace('/nonexistent')
    let merges = 0
    const workspace: WorkspacePort = {
      ...shared,
      merge: (input) =>
        ++merges === 1
          ? Promise.resolve({ kind: 'check_failed', output: '1 test failed: login', exitCode: 1 })
          : shared.merge(input),
    }
    const states: string[] = []
    store.events.subscribe((event) => {
      if (event.type === 'feature.state') states.push(event.to)
    })
    const report = await orchestrator({ workspace }).run()
    expect(report.ok && report.value.reason).toBe('complete')
    expect(states).toEqual(['failing', 'passing'])
    expect(store.notes.list(1, ['evidence'])[0]?.text).toMatch(
      /check failed on the merged result \(exit 1\)\.\n1 test failed: login/,
    )
  })

  it('drains when the time budget runs out and says so', async () => {
    board(Array.from({ length: 6 }, (_, i) => (i === 0 ? [] : [i])))
    // 9-minute agents, a half-hour budget: the agent running at the deadline may finish (drain).
    const orch = orchestrator({
      settings: { maxHours: 0.5, batchSize: 1 },
      sim: { durationMs: () => 9 * 60_000 },
    })
    const running = orch.run()
    await drive(() => events.some((event) => event.type === 'run.finished'), true, 60_000)
    const report = await running
    expect(report.ok && report.value.reason).toBe('budget')
    expect(report.ok && report.value.message).toMatch(/Time budget reached/)
    expect(store.features.stats().passing).toBe(4)
  })
})

describe('leases', () => {
  it('keeps the claims of a long-running agent alive and takes over a foreign claim once it expires', async () => {
    board([[], []], ['a', 'b'])
    const orch = orchestrator({
      settings: { concurrency: 1, batchSize: 1, leaseMs: 60_000, heartbeatMs: 20_000 },
      sim: {
        durationMs: (assignment) => (assignment.featureIds[0] === 1 ? 5 * 60_000 : 1000),
        limits: { idleTimeoutMs: 1e9, sessionTimeoutMs: 1e9, interruptGraceMs: 1000 },
      },
    })
    const running = orch.run()
    await drive(() => events.some((event) => event.type === 'agent.started'), false)
    // Someone outside the run (autocoder mcp) grabs feature 2 with a short lease.
    store.claims.claim([2], 'human-agent', 'coding', 30_000)
    await drive(() => events.some((event) => event.type === 'run.finished'), true, 5_000)
    expect((await running).ok).toBe(true)
    const expired = events.filter(
      (event) => event.type === 'feature.released' && event.reason === 'lease expired',
    )
    expect(expired.map((event) => (event as { agentId: string }).agentId)).toEqual(['human-agent'])
    expect(store.features.stats().passing).toBe(2)
  })
})

describe('foreign claims', () => {
  it('waits for a foreign claim to expire instead of reporting a deadlock', async () => {
    board([[], [1]])
    const orch = orchestrator({
      settings: { batchSize: 1, heartbeatMs: 600_000 },
      sim: { durationMs: () => 1000 },
    })
    const running = orch.run()
    await drive(() => events.some((event) => event.type === 'agent.started'), false)
    store.claims.claim([2], 'human-agent', 'coding', 30_000)
    await drive(() => events.some((event) => event.type === 'run.finished'), true, 1_000)
    const report = await running
    expect(report.ok && report.value.reason).toBe('complete')
    expect(
      events.some(
        (event) =>
          event.type === 'feature.released' &&
          event.agentId === 'human-agent' &&
          event.reason === 'lease expired',
      ),
    ).toBe(true)
  })
})

describe('the lock', () => {
  it('is taken before run() first awaits, so a caller can tell a refusal at once', async () => {
    board([[]])
    const first = orchestrator({ sim: { durationMs: () => 1000 } })
    const running = first.run()
    expect(first.status().mode).toBe('running')
    const second = orchestrator()
    const refused = second.run()
    expect(second.status().mode).toBe('idle')
    expect((await refused).ok).toBe(false)
    await drive(() => events.some((event) => event.type === 'run.finished'))
    expect((await running).ok).toBe(true)
    expect(store.locks.current()).toBeUndefined()
  })
})
