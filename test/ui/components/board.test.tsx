// @vitest-environment happy-dom
// The board fed with a recorded demo run: cards move between columns as events arrive.
import { act, cleanup, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'

import { keys } from '../../../ui/src/api/keys.js'
import { applyToCache } from '../../../ui/src/api/live-provider.js'
import BoardView from '../../../ui/src/screens/board/board-view.js'
import { CARD_HEIGHT } from '../../../ui/src/screens/board/feature-card.js'
import { framesUntil, listAtCreation, loadRecording } from './recorded.js'
import { renderAt, testClient } from './render.js'

afterEach(cleanup)

const recording = loadRecording()

function count(column: string): number {
  return Number(
    within(screen.getByTestId(`column-${column}`)).getByTestId('column-count').textContent,
  )
}

describe('the board', () => {
  it('moves cards from pending to in progress to passing as the recorded events arrive', () => {
    const client = testClient()
    const created = framesUntil(recording.frames, (event) => event.type === 'feature.created')
    applyToCache(client, 'demo', created)
    client.setQueryData(keys.features('demo'), listAtCreation(recording))
    renderAt(<BoardView />, {
      url: '/projects/demo/board',
      route: '/projects/:project/board',
      client,
    })
    const total = recording.after.features.length
    expect(count('pending')).toBe(total)

    const claimed = framesUntil(recording.frames, (event) => event.type === 'feature.claimed')
    act(() => void applyToCache(client, 'demo', claimed.slice(created.length)))
    expect(count('in_progress')).toBe(1)
    expect(count('pending')).toBe(total - 1)
    const claim = claimed.at(-1)
    const holder =
      claim?.type === 'event' && claim.event.type === 'feature.claimed' ? claim.event.agentId : '?'
    const card = within(screen.getByTestId('column-in_progress')).getByTestId('feature-card')
    expect(card.textContent).toContain(holder)

    act(() => void applyToCache(client, 'demo', recording.frames.slice(claimed.length)))
    expect(count('passing')).toBe(total)
    expect(count('pending') + count('in_progress')).toBe(0)
    for (const item of screen.getAllByRole('listitem'))
      expect(item.style.height).toBe(`${CARD_HEIGHT}px`)
  })
})
