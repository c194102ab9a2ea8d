// Full runs: the real claude binary against the scripted model, real git worktrees and merges.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import type { AppEvent } from '../../../src/core/events.js'
import { ProjectStore } from '../../../src/store/index.js'
import { readMergeLog } from '../../../src/workspace/index.js'
import { tempDir } from '../../helpers/tmp.js'
import { createBoard, initProject, realOrchestrator, startModel } from './real-run.js'

/** Replays claims from the event log; throws on a feature held by two agents at once. */
function assertSingleHolders(events: readonly AppEvent[]): void {
  const holder = new Map<number, string>()
  for (const event of events) {
    if (event.type === 'feature.claimed') {
      const current = holder.get(event.featureId)
      if (current !== undefined && current !== event.agentId) {
        throw new Error(
          `feature ${event.featureId} claimed by ${event.agentId} while ${current} held it`,
        )
      }
      holder.set(event.featureId, event.agentId)
    }
    if (event.type === 'feature.released') holder.delete(event.featureId)
  }
}

describe('a full run with real agents', () => {
  it('builds 30 dependent features with 3 coders and a tester: each passes once, one merge per batch, no shared holds', async () => {
    using dir = tempDir()
    initProject(dir.path)
    const store = ProjectStore.open(dir.path)
    if (!store.ok) throw new Error(store.error.message)
    using _store = store.value
    // Nine roots with a chain of two each (1 -> 10 -> 19, ...); 28, 29 and 30 each join three
    // chains. Categories a, b, c by id. The first wave is [1, 10, 19], [2, 11, 20], [3, 12, 21]:
    // the batches of 1 and 2 both write shared.txt from the same base, so one merge conflicts.
    createBoard(
      store.value,
      30,
      (id) => (id <= 9 ? [] : id <= 27 ? [id - 9] : [0, 1, 2].map((k) => 19 + (id - 28) * 3 + k)),
      (id) => ['a', 'b', 'c'][id % 3]!,
    )
    await using model = await startModel({ conflicting: [1, 2] })
    const orchestrator = await realOrchestrator({
      store: store.value,
      projectDir: dir.path,
      model,
      settings: { concurrency: 3, testingAgents: 1, batchSize: 3, testingBatchSize: 3 },
    })
    const report = await orchestrator.run()
    if (!report.ok) throw new Error(report.error.message)
    const events = store.value.events.after(0, 100_000)
    expect(report.value.message).toBe('All 30 features are done.')
    expect(report.value.reason).toBe('complete')

    const passes = events.filter(
      (event) => event.type === 'feature.state' && event.to === 'passing',
    )
    const passedIds = passes
      .map((event) => (event as { featureId: number }).featureId)
      .sort((a, b) => a - b)
    expect(passedIds).toEqual(Array.from({ length: 30 }, (_, index) => index + 1))

    const merged = events.filter((event) => event.type === 'merge.succeeded')
    const log = await readMergeLog(dir.path, 'main')
    if (!log.ok) throw new Error(log.error.message)
    expect(log.value.length).toBe(merged.length)
    expect(log.value.flatMap((record) => record.featureIds).sort((a, b) => a - b)).toEqual(
      passedIds,
    )

    assertSingleHolders(events)
    expect(store.value.claims.list()).toEqual([])
    const testerClaims = events.filter(
      (event) => event.type === 'feature.claimed' && event.kind === 'testing',
    )
    expect(testerClaims.length).toBeGreaterThan(0)

    // The two batches that wrote shared.txt from the same base: one conflicted and was redone.
    expect(events.filter((event) => event.type === 'merge.conflict').length).toBeGreaterThanOrEqual(
      1,
    )
    expect(
      store.value.features.list().filter((feature) => feature.attempts > 0).length,
    ).toBeGreaterThan(0)

    for (let id = 1; id <= 30; id++)
      expect(existsSync(join(dir.path, `feature-${id}.txt`))).toBe(true)
    expect(store.value.notes.latest(30, 'evidence')?.text).toMatch(
      /Verified: merged in [0-9a-f]{40} .*check passed\.\ncheck ok: \d+ feature files/,
    )
    expect(readdirSync(join(dir.path, '.autocoder', 'worktrees'))).toEqual([])
    expect(
      execFileSync('git', ['branch', '--list', 'autocoder/*'], { cwd: dir.path, encoding: 'utf8' }),
    ).toBe('')
  }, 420_000)
})

describe('a run on an empty board', () => {
  it('runs the initializer first, merges its scaffold unchecked, then builds the features it created', async () => {
    using dir = tempDir()
    initProject(dir.path)
    // The spec lives where the spec chat writes it; the initializer gets a copy in its checkout.
    mkdirSync(join(dir.path, '.autocoder', 'prompts'), { recursive: true })
    writeFileSync(
      join(dir.path, '.autocoder', 'prompts', 'app_spec.txt'),
      '<project_specification>four features</project_specification>\n',
    )
    const store = ProjectStore.open(dir.path)
    if (!store.ok) throw new Error(store.error.message)
    using _store = store.value
    await using model = await startModel()
    const orchestrator = await realOrchestrator({
      store: store.value,
      projectDir: dir.path,
      model,
      settings: { concurrency: 2, batchSize: 1 },
      initializerFeatureCount: 4,
    })
    const report = await orchestrator.run()
    if (!report.ok) throw new Error(report.error.message)
    expect(report.value.reason).toBe('complete')
    expect(store.value.features.stats()).toMatchObject({ total: 4, passing: 4 })
    expect(store.value.features.get(4)?.dependencies).toEqual([1])
    expect(readFileSync(join(dir.path, 'app_spec.txt'), 'utf8')).toContain('four features')
    const roles = store.value.events
      .after(0, 10_000)
      .flatMap((event) => (event.type === 'agent.started' ? [event.role] : []))
    expect(roles[0]).toBe('initializer')
    expect(roles.slice(1).every((role) => role === 'coding')).toBe(true)
    const log = await readMergeLog(dir.path, 'main')
    if (!log.ok) throw new Error(log.error.message)
    expect(log.value.map((record) => record.featureIds.length).reverse()[0]).toBe(0)
  }, 120_000)
})
