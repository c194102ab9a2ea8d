import type { DeadlockReport } from './deadlock.js'
import type { FinishReason, RunMode } from './run-types.js'
import type { OrchestratorError } from './error-codes.js'

/** How a run ends (or is ending, while it drains). */
export interface Finish {
  reason: FinishReason
  message: string
  deadlock?: DeadlockReport
  /** The code of the failure that ended the run (reason `error` from a failed step). */
  code?: OrchestratorError['code']
}

/** Where a run is in its life: the mode, why it drains, and a stop asked for before it started. */
export interface RunLifecycle {
  readonly mode: RunMode
  readonly drain: { readonly reason: FinishReason; readonly message: string } | null
  readonly stopRequested: string | null
}

/** What can happen to a run's lifecycle; each caller's request or the loop's own decision. */
export type RunAction =
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'drain'; reason: FinishReason; message: string }
  | { type: 'stop'; message: string }
  | { type: 'finish' }

export const INITIAL_LIFECYCLE: RunLifecycle = { mode: 'idle', drain: null, stopRequested: null }

/**
 * The one place that decides how a run's lifecycle changes (a reducer, as TanStack Query's
 * `query.ts` dispatches its actions). Returns `state` itself when the action does not apply, so
 * the caller knows whether anything happened.
 *
 * - start: only from idle.
 * - pause: only while running; resume: from paused, or from a requested drain (not a budget's).
 * - drain: ignored once stopping or finished, and a budget's or error's drain is never replaced.
 * - stop: ignored once stopping or finished; before the start it is only remembered.
 */
export function transition(state: RunLifecycle, action: RunAction): RunLifecycle {
  const { mode } = state
  switch (action.type) {
    case 'start':
      return mode === 'idle' ? { ...state, mode: 'running' } : state
    case 'pause':
      return mode === 'running' ? { ...state, mode: 'paused' } : state
    case 'resume':
      return mode === 'paused' || (mode === 'draining' && state.drain?.reason === 'drained')
        ? { ...state, mode: 'running', drain: null }
        : state
    case 'drain':
      if (mode === 'finished' || mode === 'stopping') return state
      if (mode === 'draining' && state.drain?.reason !== 'drained') return state
      return {
        ...state,
        mode: 'draining',
        drain: { reason: action.reason, message: action.message },
      }
    case 'stop':
      if (mode === 'finished' || mode === 'stopping') return state
      if (mode === 'idle') return { ...state, stopRequested: action.message }
      return { ...state, mode: 'stopping', stopRequested: action.message }
    case 'finish':
      return mode === 'finished' ? state : { ...state, mode: 'finished' }
  }
}
