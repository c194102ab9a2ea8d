import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

import { systemClock, type Clock } from '../core/index.js'
import { answerInfo } from './info.js'
import { MessagesHandler } from './messages.js'
import type { ScriptContext } from './model-request.js'
import type { Scenario } from './plan-turn.js'
import { emptyStats, kindOf, type RecordedRequest, type ScriptedModelStats } from './record.js'
import { ScenarioRouter, type RequestView } from './scenario-router.js'
import { sendError } from './send.js'

export type { RequestView } from './scenario-router.js'

export interface ScriptedModelOptions {
  /** Default 0: a free port. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  /**
   * Scenarios selectable by name: `[[scenario:NAME]]` in the system prompt or first user message,
   * else `[[agent:ID]]` when a scenario is named ID. Names must be unique.
   */
  scenarios?: readonly Scenario[]
  /** Picks the scenario (or its name) for a request before markers are looked at; undefined: use markers. */
  scenarioResolver?: (view: RequestView) => Scenario | string | undefined
  /** Name of the scenario for requests that no resolver or marker routes. */
  defaultScenario?: string
  /** Used for `slow` and `silent` waits, the latency and `receivedAt` stamps. */
  clock?: Clock
  /**
   * The model's time to answer: waited (on `clock`) before each reply is sent, not before faults.
   * A number of ms, or a function of the request (e.g. a pace with jitter). Default 0: at once.
   */
  latencyMs?: number | ((context: ScriptContext) => number)
  /** Called when a request has arrived (its entry is completed later, when it is answered). */
  onRequest?: (request: RecordedRequest) => void
}

export interface ScriptedModel {
  /** `http://127.0.0.1:PORT`, the value for ANTHROPIC_BASE_URL. */
  url: string
  port: number
  /**
   * The variables that point Claude Code at this server: ANTHROPIC_BASE_URL, a dummy
   * ANTHROPIC_API_KEY and CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 (no side requests).
   */
  env: Record<string, string>
  /** Every request in arrival order (live array). */
  requests: RecordedRequest[]
  stats: ScriptedModelStats
  /** Stops listening and cuts open connections (held `silent` ones included). */
  close(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = []
  for await (const part of req) parts.push(part as Buffer)
  return Buffer.concat(parts).toString('utf8')
}

function parseJson(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** What serving a request needs: the log it is recorded in and the messages handler. */
interface Served {
  clock: Clock
  requests: RecordedRequest[]
  stats: ScriptedModelStats
  messages: MessagesHandler
  onRequest: ((request: RecordedRequest) => void) | undefined
}

/** Records the request on arrival, answers it, and stamps when it was answered. */
async function serve(req: IncomingMessage, res: ServerResponse, served: Served): Promise<void> {
  const { clock, requests, stats } = served
  const text = await readBody(req)
  const method = req.method ?? 'GET'
  const path = (req.url ?? '/').split('?')[0] ?? '/'
  const record: RecordedRequest = {
    seq: requests.length + 1,
    receivedAt: clock.now(),
    method,
    path,
    kind: kindOf(method, path),
    headers: req.headers,
    body: parseJson(text),
    outcome: 'pending',
  }
  requests.push(record)
  stats.requests += 1
  stats.firstRequestAt ??= record.receivedAt
  served.onRequest?.(record)
  try {
    await route(req, res, record, served)
  } finally {
    record.finishedAt = clock.now()
  }
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  record: RecordedRequest,
  served: Served,
): Promise<void> {
  switch (record.kind) {
    case 'messages':
      served.stats.messages += 1
      return served.messages.handle(req, res, record)
    case 'count_tokens':
    case 'models':
    case 'probe':
      return answerInfo(res, record)
    case 'unknown':
      record.outcome = 'not_found'
      record.status = 404
      return sendError(
        res,
        404,
        'not_found_error',
        `[scripted-model] no route for ${record.method} ${record.path}`,
      )
  }
}

/** Starts the scripted Messages API on 127.0.0.1; see README.md in this folder for the scenario format. */
export async function startScriptedModel(
  options: ScriptedModelOptions = {},
): Promise<ScriptedModel> {
  const clock = options.clock ?? systemClock
  const requests: RecordedRequest[] = []
  const stats = emptyStats()
  const messages = new MessagesHandler({
    clock,
    router: new ScenarioRouter(options),
    stats,
    latencyMs: options.latencyMs,
  })
  const served: Served = { clock, requests, stats, messages, onRequest: options.onRequest }
  const server = createServer((req, res) => {
    serve(req, res, served).catch((error: unknown) => {
      if (!res.headersSent)
        sendError(res, 500, 'api_error', `[scripted-model] internal error: ${String(error)}`)
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const close = async (): Promise<void> => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`
  const env = {
    ANTHROPIC_BASE_URL: url,
    ANTHROPIC_API_KEY: 'scripted-model',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  }
  return { url, port, env, requests, stats, close, [Symbol.asyncDispose]: close }
}
