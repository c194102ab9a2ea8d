import { describe, expect, it } from 'vitest'

import { INITIAL_LIFECYCLE, transition } from '../../../src/orchestrator/run-lifecycle.js'
import type { RunAction, RunLifecycle } from '../../../src/orchestrator/run-lifecycle.js'

const running: RunLifecycle = { mode: 'running', drain: null, stopRequested: null }
const drainedOn: RunLifecycle = {
  mode: 'draining',
  drain: { reason: 'drained', message: 'asked' },
  stopRequested: null,
}
const budgetDrain: RunLifecycle = {
  mode: 'draining',
  drain: { reason: 'budget', message: 'spent' },
  stopRequested: null,
}

describe('run lifecycle transition', () => {
  it('starts only from idle', () => {
    expect(transition(INITIAL_LIFECYCLE, { type: 'start' }).mode).toBe('running')
    expect(transition(running, { type: 'start' })).toBe(running)
  })

  it('pauses only a running run and resumes a paused one', () => {
    const paused = transition(running, { type: 'pause' })
    expect(paused.mode).toBe('paused')
    expect(transition(paused, { type: 'pause' })).toBe(paused)
    expect(transition(paused, { type: 'resume' })).toEqual(running)
    expect(transition(running, { type: 'resume' })).toBe(running)
  })

  it('resumes a requested drain but not a budget drain', () => {
    expect(transition(drainedOn, { type: 'resume' })).toEqual(running)
    expect(transition(budgetDrain, { type: 'resume' })).toBe(budgetDrain)
  })

  it('lets a budget or error replace a requested drain, never the other way round', () => {
    const error: RunAction = { type: 'drain', reason: 'error', message: 'broken' }
    expect(transition(drainedOn, error).drain).toEqual({ reason: 'error', message: 'broken' })
    expect(transition(budgetDrain, error)).toBe(budgetDrain)
  })

  it('remembers a stop asked before the start and stops once started', () => {
    const asked = transition(INITIAL_LIFECYCLE, { type: 'stop', message: 'early' })
    expect(asked).toEqual({ mode: 'idle', drain: null, stopRequested: 'early' })
    const stopping = transition(running, { type: 'stop', message: 'now' })
    expect(stopping).toEqual({ mode: 'stopping', drain: null, stopRequested: 'now' })
    expect(transition(stopping, { type: 'stop', message: 'again' })).toBe(stopping)
    expect(transition(stopping, { type: 'drain', reason: 'drained', message: 'x' })).toBe(stopping)
  })

  it('ignores everything but finish once finished', () => {
    const finished = transition(running, { type: 'finish' })
    expect(finished.mode).toBe('finished')
    const actions: RunAction[] = [
      { type: 'start' },
      { type: 'pause' },
      { type: 'resume' },
      { type: 'drain', reason: 'drained', message: 'x' },
      { type: 'stop', message: 'x' },
      { type: 'finish' },
    ]
    for (const action of actions) expect(transition(finished, action)).toBe(finished)
  })
})
