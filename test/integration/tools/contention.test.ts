import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { unwrap } from '../../../src/core/index.js'
import { ProjectStore } from '../../../src/store/index.js'
import { tempDir } from '../../helpers/tmp.js'
import { addFeature, inProcessClient, stdioClient } from '../../helpers/tool-clients.js'
import type { ToolClient } from '../../helpers/tool-clients.js'

// Two `autocoder mcp` processes and four in-process agents work one board at the same time, all
// going for the best ready feature first (maximum contention). Invariants: a feature is claimed
// by exactly one agent, every feature ends passing exactly once, no note is lost, and every call
// is in the event log.
const FEATURES = 40
const IN_PROCESS = ['coding-c', 'coding-d', 'coding-e', 'coding-f']

interface Tally {
  calls: number
  claimed: number[]
  passed: number[]
  notes: number
  errors: string[]
}

async function work(client: ToolClient, noteFeature: number): Promise<Tally> {
  const tally: Tally = { calls: 0, claimed: [], passed: [], notes: 0, errors: [] }
  const call = async (name: string, args: unknown) => {
    tally.calls++
    const reply = await client.call(name, args)
    if (reply.isError) tally.errors.push(reply.body.code)
    return reply
  }
  for (;;) {
    const ready = await call('feature_get_ready', { limit: 5 })
    if (ready.body.total_ready === 0) return tally
    const target = ready.body.features[0].id as number
    const claim = await call('feature_claim_and_get', { feature_id: target })
    if (claim.isError) continue
    tally.claimed.push(target)
    if (
      !(
        await call('feature_add_note', {
          feature_id: noteFeature,
          text: `${client.caller} took ${target}`,
        })
      ).isError
    )
      tally.notes++
    if (!(await call('feature_mark_passing', { feature_id: target })).isError)
      tally.passed.push(target)
  }
}

describe('feature tools under contention', () => {
  const dir = tempDir()
  let store: ProjectStore
  let agents: ProjectStore
  const clients: ToolClient[] = []

  beforeAll(async () => {
    store = unwrap(ProjectStore.open(dir.path))
    agents = unwrap(ProjectStore.open(dir.path))
    clients.push(
      ...(await Promise.all([
        stdioClient(dir.path, { agentId: 'coding-a' }),
        stdioClient(dir.path, { agentId: 'coding-b' }),
      ])),
      ...(await Promise.all(
        IN_PROCESS.map((callerId) =>
          inProcessClient({
            store: agents,
            callerId,
            role: 'coding',
            leaseMs: 60_000,
            verifyPasses: false,
          }),
        ),
      )),
    )
  }, 60_000)

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()))
    agents?.close()
    store?.close()
    dir[Symbol.dispose]()
  })

  it('claims each feature once, loses no update and logs every call', async () => {
    const noteFeature = addFeature(store, { state: 'passing', name: 'shared notes' })
    const ids = Array.from({ length: FEATURES }, (_, i) =>
      addFeature(store, { name: `feature ${i}` }),
    )
    const startId = store.events.lastId()

    const tallies = await Promise.all(clients.map((client) => work(client, noteFeature)))

    const claimed = tallies.flatMap((tally) => tally.claimed).sort((a, b) => a - b)
    expect(claimed).toEqual(ids)
    expect(tallies.flatMap((tally) => tally.passed).sort((a, b) => a - b)).toEqual(ids)
    expect(ids.every((id) => store.features.get(id)!.state === 'passing')).toBe(true)
    expect(store.claims.list()).toEqual([])
    // The only refusals are lost races: claimed by someone else, or already passed by the time we asked.
    const refusals = new Set(tallies.flatMap((tally) => tally.errors))
    expect(
      [...refusals].filter((code) => code !== 'FEATURE_CLAIMED' && code !== 'ALREADY_PASSING'),
    ).toEqual([])
    expect(refusals.has('FEATURE_CLAIMED')).toBe(true)
    // More than one agent got work: the race was real.
    expect(tallies.filter((tally) => tally.claimed.length > 0).length).toBeGreaterThan(1)

    const events = store.events.after(startId, 100_000)
    const claimEvents = events.flatMap((event) =>
      event.type === 'feature.claimed' ? [event.featureId] : [],
    )
    expect(claimEvents.sort((a, b) => a - b)).toEqual(ids)
    const toolCalls = events.filter((event) => event.type === 'tool.called')
    expect(toolCalls).toHaveLength(tallies.reduce((sum, tally) => sum + tally.calls, 0))
    for (const client of clients) {
      const tally = tallies[clients.indexOf(client)]!
      expect(toolCalls.filter((event) => event.caller === client.caller)).toHaveLength(tally.calls)
    }
    expect(store.notes.list(noteFeature)).toHaveLength(
      tallies.reduce((sum, tally) => sum + tally.notes, 0),
    )
  }, 120_000)
})
