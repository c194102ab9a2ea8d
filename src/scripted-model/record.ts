import type { AttemptFault, Usage } from './scenario-schema.js'

/** Which endpoint a request hit. `probe` is Claude Code's `HEAD /api/hello` connectivity check. */
export type RequestKind = 'messages' | 'count_tokens' | 'models' | 'probe' | 'unknown'

/**
 * What the server did: `reply` (a scripted reply), `fault`, `exhausted` (script ran out),
 * `unmatched` (no scenario), `invalid` (bad request body or a scenario bug, HTTP 400), `info`
 * (count_tokens, models, probe), `not_found`, `aborted` (the client went away mid-reply).
 */
export type Outcome =
  | 'pending'
  | 'reply'
  | 'fault'
  | 'exhausted'
  | 'unmatched'
  | 'invalid'
  | 'info'
  | 'not_found'
  | 'aborted'

/** One request as the server saw it; the entry is recorded on arrival and completed when answered. */
export interface RecordedRequest {
  seq: number
  /** `clock.now()` when the request body had arrived. */
  receivedAt: number
  method: string
  /** Path without the query string (Claude Code calls `/v1/messages?beta=true`). */
  path: string
  kind: RequestKind
  headers: Record<string, string | string[] | undefined>
  /** The parsed JSON body, or the raw text when it was not JSON, or undefined when empty. */
  body: unknown
  stream?: boolean
  scenario?: string
  conversationId?: string
  position?: number
  attempt?: number
  /** The latency waited before the reply (see `latencyMs`), when there was one. */
  latencyMs?: number
  outcome: Outcome
  /** `clock.now()` when the answer was complete (or cut); the model's time is `finishedAt - receivedAt`. */
  finishedAt?: number
  status?: number
  fault?: AttemptFault['fault']
  /** Id and usage of the reply message (also set for a dropped stream's partial reply). */
  messageId?: string
  usage?: Usage
  /** Why a request was answered with 400 (`unmatched`, `invalid`). */
  problem?: string
}

export interface ScriptedModelStats {
  requests: number
  /** POST /v1/messages requests (all outcomes). */
  messages: number
  replies: number
  exhausted: number
  unmatched: number
  invalid: number
  faults: Record<AttemptFault['fault'], number>
  /** Sum of the usage of every reply sent in full. */
  usage: Usage
  firstRequestAt: number | undefined
}

export function emptyStats(): ScriptedModelStats {
  return {
    requests: 0,
    messages: 0,
    replies: 0,
    exhausted: 0,
    unmatched: 0,
    invalid: 0,
    faults: { rate_limit: 0, overloaded: 0, error: 0, drop: 0, silent: 0 },
    usage: {
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    },
    firstRequestAt: undefined,
  }
}

export function addUsage(total: Usage, usage: Usage): void {
  total.input_tokens += usage.input_tokens
  total.output_tokens += usage.output_tokens
  total.cache_creation_input_tokens += usage.cache_creation_input_tokens
  total.cache_read_input_tokens += usage.cache_read_input_tokens
}

export function kindOf(method: string, path: string): RequestKind {
  if (method === 'POST' && path === '/v1/messages') return 'messages'
  if (method === 'POST' && path === '/v1/messages/count_tokens') return 'count_tokens'
  if (method === 'GET' && (path === '/v1/models' || path.startsWith('/v1/models/'))) return 'models'
  if ((method === 'HEAD' || method === 'GET') && path === '/api/hello') return 'probe'
  return 'unknown'
}
