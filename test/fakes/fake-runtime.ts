import type {
  AgentSession,
  ModelRuntime,
  SessionEnd,
  SessionFailure,
  SessionMessage,
  SessionSpec,
} from '../../src/agents/runtime.js'
import type { Clock } from '../../src/core/clock.js'
import type { Usage } from '../../src/core/events.js'

/**
 * One step of a fake session: a message to send, a side effect (change the store, or call the
 * session's hooks as Claude Code would), or silence.
 */
export type FakeStep =
  | SessionMessage
  | { effect: (spec: SessionSpec) => void | Promise<void> }
  | { silent: true }
  | { deaf: true }
  | { sleepMs: number }

/**
 * A model runtime that replays scripted sessions: session N plays `scripts[N]` (the last script
 * repeats). A `{ silent: true }` step sends nothing until the session is interrupted or closed;
 * `{ deaf: true }` ignores interrupts too and ends only when closed.
 */
export class FakeRuntime implements ModelRuntime {
  readonly started: SessionSpec[] = []
  interrupts = 0
  closes = 0

  /** `clock` is needed for `{ sleepMs }` steps (time passing inside a session). */
  constructor(
    private readonly scripts: FakeStep[][],
    private readonly clock?: Clock,
  ) {}

  start(spec: SessionSpec): AgentSession {
    const script = this.scripts[Math.min(this.started.length, this.scripts.length - 1)] ?? []
    this.started.push(spec)
    let wake: (() => void) | undefined
    let interrupted = false
    let closed = false
    let wakeClosed: (() => void) | undefined
    const stopped = new Promise<void>((resolve) => (wake = resolve))
    const closedPromise = new Promise<void>((resolve) => (wakeClosed = resolve))
    const count = (what: 'interrupts' | 'closes'): void => {
      this[what] += 1
    }

    async function* play(): AsyncGenerator<SessionMessage> {
      for (const step of script) {
        if (closed) return
        if ('effect' in step) await step.effect(spec)
        else if ('sleepMs' in step) await clock?.sleep(step.sleepMs)
        else if ('deaf' in step) {
          await closedPromise
          return
        } else if ('silent' in step) {
          await stopped
          if (closed) return
          yield end('interrupted')
          return
        } else {
          yield step
          if (step.type === 'session.end') return
        }
        if (interrupted) {
          yield end('interrupted')
          return
        }
      }
      yield end('success')
    }

    const clock = this.clock
    const stream = play()
    return {
      [Symbol.asyncIterator]: () => stream,
      interrupt: () => {
        count('interrupts')
        interrupted = true
        wake?.()
        return Promise.resolve()
      },
      close: () => {
        count('closes')
        closed = true
        wake?.()
        wakeClosed?.()
      },
    }
  }
}

export const usage = (costUsd: number, tokens = 100): Usage => ({
  inputTokens: tokens,
  outputTokens: tokens / 2,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd,
})

export function end(
  status: SessionEnd['status'],
  failure: SessionFailure | null = null,
  spent: Usage = usage(0, 0),
): SessionEnd {
  return { type: 'session.end', status, failure, usage: spent, numTurns: 1, durationMs: 1 }
}

export function failed(
  kind: SessionFailure['kind'],
  status: number | null,
  retryAfterMs: number | null = null,
): SessionEnd {
  return end('failed', {
    kind,
    status,
    message: `${kind} (${status ?? 'no status'})`,
    retryAfterMs,
  })
}
