// A coder's work merges as soon as it has reported every feature it holds and committed the work,
// while its session still runs (its dependents need not wait for its last words); what it does
// afterwards merges when it settles. Real git, real merge queue and check; simulated agents.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import type { SessionMessage } from '../../../src/agents/runtime.js'
import { systemClock } from '../../../src/core/clock.js'
import type { AppEvent } from '../../../src/core/events.js'
import { unwrap } from '../../../src/core/result.js'
import type { AgentAssignment } from '../../../src/orchestrator/index.js'
import { ProjectStore } from '../../../src/store/index.js'
import { honestAgent, simLauncher } from '../../fakes/sim-launcher.js'
import { tempDir } from '../../helpers/tmp.js'
import { gitSync } from '../workspace/fixture.js'
import { createBoard, initProject, runWithGit } from './real-run.js'

let dir: { path: string } & Disposable
let store: ProjectStore

beforeEach(() => {
  dir = tempDir('autocoder-early-merge-')
  initProject(dir.path)
  store = unwrap(ProjectStore.open(dir.path))
})

afterEach(() => {
  store.close()
  dir[Symbol.dispose]()
})

const toolResult = (agentId: string, id: string): SessionMessage => ({
  type: 'agent.tool_result',
  agentId,
  toolUseId: id,
  isError: false,
  output: 'ok',
})

/** Waits up to `ms` for `condition`; whether it holds. */
async function within(ms: number, condition: () => boolean): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until;) {
    if (condition()) return true
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  return condition()
}

/** Waits up to `ms` for feature `id` to be passing; whether it is. */
const passingWithin = (id: number, ms: number): Promise<boolean> =>
  within(ms, () => store.features.get(id)?.state === 'passing')

/** Whether an agent's merge check has run (its last events hold a `check.finished`). */
const checkedFor = (agentId: string): boolean =>
  store.events
    .after(0)
    .some((event) => event.type === 'check.finished' && event.agentId === agentId)

function writeFeatures(assignment: AgentAssignment): void {
  for (const id of assignment.featureIds)
    writeFileSync(join(assignment.cwd, `feature-${id}.txt`), `feature ${id}\n`)
}

function commitAll(cwd: string, message: string): void {
  gitSync(cwd, 'add', '-A')
  gitSync(cwd, 'commit', '-q', '-m', message)
}

async function run(
  after: (assignment: AgentAssignment) => Iterable<SessionMessage> | AsyncIterable<SessionMessage>,
  act: (assignment: AgentAssignment) => void,
): Promise<AppEvent[]> {
  const launcher = simLauncher({
    store,
    clock: systemClock,
    act: (assignment, agentStore) => {
      act(assignment)
      honestAgent(assignment, agentStore)
    },
    after,
  })
  const { report, events } = await runWithGit(store, dir.path, launcher)
  expect(report.reason).toBe('complete')
  return events
}

const subjects = (): string[] => gitSync(dir.path, 'log', '--format=%s', 'main').split('\n')

describe('a coder that reported every feature it holds', () => {
  it('has its committed work merged before its session ends, and what it commits later when it settles', async () => {
    createBoard(
      store,
      1,
      () => [],
      () => 'c',
    )
    let passingWhileRunning = false
    const events = await run(
      async function* (assignment) {
        yield toolResult(assignment.agentId, 'mark')
        passingWhileRunning = await passingWithin(1, 20_000)
        writeFileSync(join(assignment.cwd, 'later.txt'), 'progress notes\n')
        commitAll(assignment.cwd, 'progress notes')
      },
      (assignment) => {
        writeFeatures(assignment)
        commitAll(assignment.cwd, 'feature 1')
      },
    )
    expect(passingWhileRunning).toBe(true)
    const order = events.map((event) => event.type)
    expect(order.indexOf('merge.succeeded')).toBeLessThan(order.indexOf('agent.finished'))
    // Two merges: the features early, the later commit when the agent settled.
    const merges = events.filter((event) => event.type === 'merge.succeeded')
    expect(merges.map((event) => event.featureIds)).toEqual([[1], []])
    expect(subjects().filter((subject) => /^(Implement|Later work)/.test(subject))).toEqual([
      expect.stringMatching(/^Later work of c\S+ on #1$/),
      'Implement #1 feature 1',
    ])
    expect(gitSync(dir.path, 'show', 'main:later.txt')).toBe('progress notes')
    expect(store.claims.list()).toEqual([])
  })

  it('waits for the commit: uncommitted work is not merged while the agent runs, committed work is', async () => {
    createBoard(
      store,
      1,
      () => [],
      () => 'c',
    )
    let passingBeforeCommit = true
    let passingAfterCommit = false
    const events = await run(async function* (assignment) {
      yield toolResult(assignment.agentId, 'mark')
      passingBeforeCommit = await passingWithin(1, 1_500)
      commitAll(assignment.cwd, 'feature 1')
      yield toolResult(assignment.agentId, 'commit')
      passingAfterCommit = await passingWithin(1, 20_000)
    }, writeFeatures)
    expect(passingBeforeCommit).toBe(false)
    expect(passingAfterCommit).toBe(true)
    // Nothing new after the early merge: no second merge.
    expect(events.filter((event) => event.type === 'merge.queued')).toHaveLength(1)
    expect(gitSync(dir.path, 'show', 'main:feature-1.txt')).toBe('feature 1')
  })

  it('merges uncommitted work when the agent settles, as before', async () => {
    createBoard(
      store,
      2,
      (id) => (id === 2 ? [1] : []),
      () => 'c',
    )
    const events = await run(
      (assignment) => [toolResult(assignment.agentId, 'mark')],
      writeFeatures,
    )
    const merges = events.filter((event) => event.type === 'merge.succeeded')
    expect(merges).toHaveLength(2)
    expect(subjects()).toContain(
      'autocoder: uncommitted work of ' + merges[0]!.agentId + ' on features #1',
    )
    expect(store.features.list().map((feature) => feature.state)).toEqual(['passing', 'passing'])
  })

  it('records a refused early merge when the agent settles without merging the same work again', async () => {
    createBoard(
      store,
      1,
      () => [],
      () => 'c',
    )
    let agents = 0
    let refusedWhileRunning = false
    const events = await run(
      async function* (assignment) {
        yield toolResult(assignment.agentId, 'mark')
        // The first agent stays until its early merge was refused (later ones end at once).
        if (agents === 1)
          refusedWhileRunning = await within(20_000, () => checkedFor(assignment.agentId))
      },
      (assignment) => {
        writeFeatures(assignment)
        // The first agent breaks the check; the next one repairs it.
        if (++agents === 1) writeFileSync(join(assignment.cwd, 'check.mjs'), 'process.exit(1)\n')
        else gitSync(assignment.cwd, 'checkout', 'main', '--', 'check.mjs')
        commitAll(assignment.cwd, `feature 1, attempt ${agents}`)
      },
    )
    const first = events.find((event) => event.type === 'agent.started')!.agentId
    const ofFirst = events.filter((event) => 'agentId' in event && event.agentId === first)
    expect(ofFirst.filter((event) => event.type === 'merge.queued')).toHaveLength(1)
    expect(
      ofFirst.filter((event) => event.type === 'check.finished').map((event) => event.passed),
    ).toEqual([false])
    const states = events.flatMap((event) =>
      event.type === 'feature.state' ? [`${event.to} (${event.reason})`] : [],
    )
    expect(states).toContain('failing (merge check_failed)')
    expect(states.at(-1)).toBe('passing (merged)')
    expect(agents).toBe(2)
    expect(refusedWhileRunning).toBe(true)
  })
})
