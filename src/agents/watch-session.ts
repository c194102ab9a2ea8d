import type { Clock, EventBody } from '../core/index.js'
import type { AgentSession, SessionEnd, SessionMessage } from './runtime.js'

/** Why the watchdog stopped a session. */
export type StopReason = 'idle' | 'wall_clock' | 'aborted'

export interface WatchLimits {
  /** Interrupt a session that sent nothing for this long. */
  idleTimeoutMs: number
  /** Interrupt a session that ran this long in total. */
  sessionTimeoutMs: number
  /** After an interrupt, wait this long for the session to end before killing it. */
  interruptGraceMs: number
}

export interface WatchedSession {
  end: SessionEnd
  stoppedBy: StopReason | null
}

type Step =
  | { kind: 'message'; result: IteratorResult<SessionMessage> }
  | { kind: 'failed'; error: unknown }
  | { kind: 'timer' }

/**
 * Reads a session to its end, handing every event to `onEvent`, with an idle watchdog and a
 * wall-clock cap: past a limit the session is interrupted, and killed if it does not end within
 * the grace period. A retry the API asked for (rate limit) extends the idle limit by its wait.
 */
export async function watchSession(
  session: AgentSession,
  options: {
    clock: Clock
    limits: WatchLimits
    signal?: AbortSignal | undefined
    onEvent: (event: Extract<SessionMessage, EventBody>) => void
  },
): Promise<WatchedSession> {
  const { clock, limits } = options
  const iterator = session[Symbol.asyncIterator]()
  const startedAt = clock.now()
  const wallDeadline = startedAt + limits.sessionTimeoutMs
  let idleDeadline = startedAt + limits.idleTimeoutMs
  let graceDeadline = Number.POSITIVE_INFINITY
  let stoppedBy: StopReason | null = null
  let killed = false
  let end: SessionEnd | undefined
  let thrown: unknown

  const stop = (reason: StopReason): void => {
    if (stoppedBy !== null) return
    stoppedBy = reason
    if (reason === 'aborted') {
      killed = true
      session.close()
      return
    }
    graceDeadline = clock.now() + limits.interruptGraceMs
    void session.interrupt()
  }
  const onAbort = (): void => stop('aborted')
  if (options.signal?.aborted) onAbort()
  else options.signal?.addEventListener('abort', onAbort, { once: true })

  try {
    let pending = iterator.next().then(
      (result): Step => ({ kind: 'message', result }),
      (error: unknown): Step => ({ kind: 'failed', error }),
    )
    for (;;) {
      const step = killed
        ? await pending
        : await raceTimer(pending, clock, nextDeadline() - clock.now())
      if (step.kind === 'timer') {
        onTimer()
        continue
      }
      if (step.kind === 'failed') thrown = step.error
      if (step.kind === 'failed' || step.result.done) break
      const message = step.result.value
      if (message.type === 'session.end') end = message
      else if (message.type !== 'session.ready' && message.type !== 'session.alive')
        options.onEvent(message)
      const extra = message.type === 'agent.rate_limited' ? message.retryAfterMs : 0
      idleDeadline = clock.now() + limits.idleTimeoutMs + extra
      pending = iterator.next().then(
        (result): Step => ({ kind: 'message', result }),
        (error: unknown): Step => ({ kind: 'failed', error }),
      )
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort)
  }
  return { end: end ?? missingEnd(clock.now() - startedAt, stoppedBy, thrown), stoppedBy }

  function nextDeadline(): number {
    return stoppedBy === null ? Math.min(idleDeadline, wallDeadline) : graceDeadline
  }

  function onTimer(): void {
    if (stoppedBy !== null) {
      killed = true
      session.close()
      return
    }
    stop(clock.now() >= wallDeadline ? 'wall_clock' : 'idle')
  }
}

async function raceTimer(pending: Promise<Step>, clock: Clock, ms: number): Promise<Step> {
  const timer = new AbortController()
  const sleep = clock.sleep(Math.max(0, ms), timer.signal).then(
    (): Step => ({ kind: 'timer' }),
    (): Step => ({ kind: 'timer' }),
  )
  try {
    return await Promise.race([pending, sleep])
  } finally {
    timer.abort()
  }
}

function missingEnd(durationMs: number, stoppedBy: StopReason | null, thrown: unknown): SessionEnd {
  const message = thrown instanceof Error ? thrown.message : 'The session ended without a result.'
  return {
    type: 'session.end',
    status: stoppedBy === null ? 'failed' : 'interrupted',
    failure:
      stoppedBy === null ? { kind: 'process', status: null, message, retryAfterMs: null } : null,
    usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 },
    numTurns: 0,
    durationMs,
  }
}
