// @vitest-environment happy-dom
// The dependency graph fed with a recorded demo run: node status follows the events, blocking
// edges are marked, and the layout does not move when only states change.
import { act, cleanup, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'

import { keys } from '../../../ui/src/api/keys.js'
import { applyToCache } from '../../../ui/src/api/live-provider.js'
import GraphView from '../../../ui/src/screens/graph/graph-view.js'
import { framesUntil, listAtCreation, loadRecording } from './recorded.js'
import { renderAt, testClient } from './render.js'

afterEach(cleanup)

const recording = loadRecording()

function statuses(): Record<string, string | undefined> {
  const pairs: Array<[string, string | undefined]> = screen
    .getAllByTestId('graph-node')
    .map((node) => [node.dataset['featureId'] ?? '', node.dataset['status']])
  return Object.fromEntries(pairs)
}

describe('the dependency graph', () => {
  it('colours nodes by live status and keeps their places while states change', () => {
    const client = testClient()
    const claimed = framesUntil(recording.frames, (event) => event.type === 'feature.claimed')
    applyToCache(client, 'demo', claimed)
    client.setQueryData(keys.features('demo'), listAtCreation(recording))
    renderAt(<GraphView />, {
      url: '/projects/demo/graph',
      route: '/projects/:project/graph',
      client,
    })
    // #1 is being built; the others wait on it.
    expect(statuses()).toEqual({
      '1': 'in_progress',
      '2': 'blocked',
      '3': 'blocked',
      '4': 'blocked',
    })
    const before = screen
      .getAllByTestId('graph-node')
      .map((node) => node.parentElement?.style.transform)
    expect(document.querySelectorAll('.react-flow__edge.blocking')).toHaveLength(3)

    act(() => void applyToCache(client, 'demo', recording.frames.slice(claimed.length)))
    expect(statuses()).toEqual({ '1': 'done', '2': 'done', '3': 'done', '4': 'done' })
    expect(document.querySelectorAll('.react-flow__edge.blocking')).toHaveLength(0)
    expect(
      screen.getAllByTestId('graph-node').map((node) => node.parentElement?.style.transform),
    ).toEqual(before)
  })
})
