// @vitest-environment happy-dom
// Mission control fed with a recorded demo run: an agent card per running agent with its batch,
// current tool and latest thought, the orchestrator's slots, and the activity feed.
import { act, cleanup, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'

import type { ProjectSnapshot } from '@core/api/index.js'

import { keys } from '../../../ui/src/api/keys.js'
import { applyToCache } from '../../../ui/src/api/live-provider.js'
import MissionView from '../../../ui/src/screens/mission/mission-view.js'
import { framesUntil, loadRecording } from './recorded.js'
import { renderAt, testClient } from './render.js'

afterEach(cleanup)

const recording = loadRecording()
const runId = recording.frames.flatMap((frame) =>
  frame.type === 'event' && frame.event.type === 'run.started' ? [frame.event.runId] : [],
)[0]

function client() {
  const query = testClient()
  // What the routes would answer: the board, no earlier events, no sessions yet.
  query.setQueryData(keys.features('demo'), recording.after)
  query.setQueryData([...keys.events('demo'), 'all'], { events: [], lastEventId: 0 })
  const empty = {
    sessions: [],
    total: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 },
  }
  for (const id of [null, runId ?? null])
    query.setQueryData([...keys.sessions('demo'), id ?? 'all'], empty)
  return query
}

describe('mission control', () => {
  it("shows the running coding agent's batch, tool and thought, then clears it when it finishes", () => {
    const query = client()
    const working = framesUntil(
      recording.frames,
      (event) =>
        event.type === 'agent.tool_use' && event.tool === 'Bash' && event.agentId.startsWith('c'),
    )
    applyToCache(query, 'demo', working)
    renderAt(<MissionView />, {
      url: '/projects/demo/mission',
      route: '/projects/:project/mission',
      client: query,
    })
    const card = screen.getByTestId('agent-card')
    const agentId = card.dataset['agentId'] ?? ''
    expect(agentId).toMatch(/^c/)
    expect(within(card).getByText('coding')).toBeTruthy()
    expect(card.textContent).toContain('#1 Project skeleton')
    expect(card.textContent).toContain('Bash: node --test test/skeleton.test.mjs')
    expect(card.textContent).toContain('Running the test.')
    expect(screen.getByTestId('coding-slots').textContent).toBe('1 / 2')
    expect(screen.getByTestId('activity').textContent).toContain(`${agentId} started (coding on #1`)
    // Tokens and cost arrive when the session ends.
    const unknown = within(card).getByTestId('agent-usage')
    expect(unknown.textContent).toBe('— tokens')
    expect(unknown.title).toMatch(/when the session ends/)
    const counted = framesUntil(
      recording.frames,
      (event) => event.type === 'agent.usage' && event.agentId === agentId,
    )
    act(() => void applyToCache(query, 'demo', counted.slice(working.length)))
    expect(within(screen.getByTestId('agent-card')).getByTestId('agent-usage').textContent).toMatch(
      /^[\d.,]+k? tokens\$\d/,
    )

    const finished = framesUntil(
      recording.frames,
      (event) => event.type === 'agent.finished' && event.agentId === agentId,
    )
    act(() => void applyToCache(query, 'demo', finished.slice(counted.length)))
    expect(screen.queryByTestId('agent-card')).toBeNull()
    expect(screen.getByTestId('activity').textContent).toContain(`${agentId} finished (done)`)
  })

  it('starts from the snapshot when opened in the middle of a run', () => {
    const query = client()
    const snapshot = recording.frames[0] as ProjectSnapshot
    applyToCache(query, 'demo', [
      { ...snapshot, run: { ...snapshot.run, mode: 'paused', owner: 'server' } },
    ])
    renderAt(<MissionView />, {
      url: '/projects/demo/mission',
      route: '/projects/:project/mission',
      client: query,
    })
    expect(screen.getByTestId('orchestrator-mode').textContent).toBe('paused')
    expect(screen.getByText(/Paused: running agents finish/)).toBeTruthy()
  })
})
