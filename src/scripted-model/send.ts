import type { ServerResponse } from 'node:http'

import type { Clock } from '../core/index.js'
import type { AttemptFault } from './scenario-schema.js'
import { errorBody, formatSse, sseEvents, type WireMessage } from './wire.js'

/** setTimeout cannot wait longer; a larger value would fire at once. */
const maxTimerMs = 2_147_483_647

let requestSequence = 0
function requestId(): string {
  requestSequence += 1
  return `req_scripted_${requestSequence.toString(36).padStart(6, '0')}`
}

/** Sends a JSON body with the headers the Anthropic API always sets. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'request-id': requestId(),
    ...headers,
  })
  res.end(body)
}

export function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, errorBody(type, message), headers)
}

/** Resolves after `ms`, or early (without throwing) when the client goes away. */
export async function pause(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return
  try {
    await clock.sleep(ms, signal)
  } catch {
    // aborted: the client closed the connection; the caller checks `signal.aborted`.
  }
}

/**
 * Streams a message as SSE, waiting `delayMs` before each event; stops after `limit` events when
 * given (leaving the response open). Returns whether the whole message was sent.
 */
export async function streamMessage(
  res: ServerResponse,
  message: WireMessage,
  options: { clock: Clock; delayMs: number; signal: AbortSignal; limit?: number },
): Promise<boolean> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': requestId(),
  })
  res.flushHeaders()
  const events = sseEvents(message).slice(0, options.limit)
  for (const event of events) {
    await pause(options.clock, options.delayMs, options.signal)
    if (options.signal.aborted) return false
    res.write(formatSse(event))
  }
  if (options.limit !== undefined) return false
  res.end()
  return true
}

function retryHeaders(fault: {
  retryAfter?: number | undefined
  shouldRetry?: boolean | undefined
}): Record<string, string> {
  const headers: Record<string, string> = {}
  if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter)
  if (fault.shouldRetry !== undefined) headers['x-should-retry'] = String(fault.shouldRetry)
  return headers
}

/** Answers one attempt with a fault; `partial` is the reply a `drop` streams part of before cutting. */
export async function sendFault(
  res: ServerResponse,
  fault: AttemptFault,
  options: { clock: Clock; signal: AbortSignal; stream: boolean; partial: WireMessage },
): Promise<void> {
  switch (fault.fault) {
    case 'rate_limit':
      sendError(
        res,
        429,
        'rate_limit_error',
        fault.message ??
          'This request would exceed the rate limit for your organization (scripted).',
        retryHeaders(fault),
      )
      return
    case 'overloaded':
      sendError(res, 529, 'overloaded_error', fault.message ?? 'Overloaded', retryHeaders(fault))
      return
    case 'error':
      sendError(
        res,
        fault.status,
        fault.errorType,
        fault.message ?? `scripted ${fault.status} error`,
        retryHeaders(fault),
      )
      return
    case 'drop':
      if (options.stream)
        await streamMessage(res, options.partial, {
          clock: options.clock,
          delayMs: 0,
          signal: options.signal,
          limit: fault.afterEvents,
        })
      res.destroy()
      return
    case 'silent':
      await pause(options.clock, fault.ms ?? maxTimerMs, options.signal)
      res.destroy()
      return
  }
}
