import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

import { z } from 'zod'

import { systemClock, type Clock } from '../core/index.js'
import { describeRequest, MessagesRequest, type ScriptContext } from './model-request.js'
import { dynamicTurn, planTurn, type Scenario } from './plan-turn.js'
import {
  addUsage,
  emptyStats,
  kindOf,
  type RecordedRequest,
  type ScriptedModelStats,
} from './record.js'
import type { ScriptTurn } from './scenario-schema.js'
import { pause, sendError, sendFault, sendJson, streamMessage } from './send.js'
import { TemplateError } from './template.js'
import { buildMessage, estimateTokens, type WireMessage } from './wire.js'

/** What a resolver sees: the request context before the retry count is known. */
export type RequestView = Omit<ScriptContext, 'attempt'>

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

const knownModels = [
  'claude-sonnet-4-5',
  'claude-opus-4-5',
  'claude-haiku-4-5',
  'claude-sonnet-4-5-20250929',
  'claude-opus-4-5-20251101',
]

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

function modelInfo(id: string): Record<string, unknown> {
  return { type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' }
}

/** Starts the scripted Messages API on 127.0.0.1; see README.md in this folder for the scenario format. */
export async function startScriptedModel(
  options: ScriptedModelOptions = {},
): Promise<ScriptedModel> {
  const clock = options.clock ?? systemClock
  const byName = new Map<string, Scenario>()
  for (const scenario of options.scenarios ?? []) {
    if (byName.has(scenario.name))
      throw new Error(`two scenarios are named "${scenario.name}"; names must be unique`)
    byName.set(scenario.name, scenario)
  }
  const attempts = new Map<string, number>()
  const requests: RecordedRequest[] = []
  const stats = emptyStats()

  function resolveScenario(view: RequestView): Scenario | string | undefined {
    const picked = options.scenarioResolver?.(view)
    if (picked !== undefined)
      return typeof picked === 'string' ? (byName.get(picked) ?? picked) : picked
    const agent = view.markers['agent']
    const name =
      view.markers['scenario'] ??
      (agent !== undefined && byName.has(agent) ? agent : options.defaultScenario)
    if (name === undefined) return undefined
    return byName.get(name) ?? name
  }

  function reject(
    res: ServerResponse,
    record: RecordedRequest,
    outcome: 'unmatched' | 'invalid',
    problem: string,
  ): void {
    record.outcome = outcome
    record.problem = problem
    record.status = 400
    stats[outcome] += 1
    sendError(res, 400, 'invalid_request_error', `[scripted-model] ${problem}`)
  }

  /** Waits the model's latency for this reply; false when the client left meanwhile. */
  async function think(
    context: ScriptContext,
    record: RecordedRequest,
    signal: AbortSignal,
  ): Promise<boolean> {
    const latency = options.latencyMs
    const ms = Math.max(0, typeof latency === 'function' ? latency(context) : (latency ?? 0))
    if (ms === 0) return true
    record.latencyMs = ms
    await pause(clock, ms, signal)
    return !signal.aborted
  }

  async function turnFor(
    scenario: Scenario,
    context: ScriptContext,
  ): Promise<ScriptTurn | string | undefined> {
    if (scenario.kind === 'scripted') return scenario.turns[context.position]
    const turn = dynamicTurn(await scenario.respond(context), scenario.name)
    return turn.ok ? turn.value : turn.error.message
  }

  async function handleMessages(
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedRequest,
  ): Promise<void> {
    const parsed = MessagesRequest.safeParse(record.body)
    if (!parsed.success)
      return reject(
        res,
        record,
        'invalid',
        `request body is not a Messages API request: ${z.prettifyError(parsed.error)}`,
      )
    const request = parsed.data
    const stream = request.stream === true
    record.stream = stream
    const view = describeRequest(request, req.headers)
    record.conversationId = view.conversationId
    record.position = view.position
    const scenario = resolveScenario(view)
    if (typeof scenario !== 'object') {
      const known = [...byName.keys()].join(', ') || 'none'
      const what =
        scenario === undefined ? 'no scenario selected' : `unknown scenario "${scenario}"`
      return reject(
        res,
        record,
        'unmatched',
        `${what}: put [[scenario:NAME]] in the system prompt or first user message, or set defaultScenario/scenarioResolver (known: ${known})`,
      )
    }
    record.scenario = scenario.name
    const key = `${scenario.name}\u0000${view.conversationId}\u0000${view.position}`
    const attempt = attempts.get(key) ?? 0
    attempts.set(key, attempt + 1)
    record.attempt = attempt
    const context: ScriptContext = { ...view, attempt }

    const turn = await turnFor(scenario, context)
    if (typeof turn === 'string') return reject(res, record, 'invalid', turn)
    const plan = planTurn(turn, attempt)
    const model = scenario.model ?? request.model
    const build = (reply: Parameters<typeof buildMessage>[0]): WireMessage =>
      buildMessage(reply, {
        model,
        defaultUsage: scenario.usage,
        request: { system: request.system, messages: request.messages, tools: request.tools },
        context: scenario.kind === 'scripted' ? context : undefined,
      })
    const signal = closeSignal(res)

    if (plan.kind === 'exhausted') {
      stats.exhausted += 1
      record.outcome = 'exhausted'
      const onExhausted = scenario.kind === 'scripted' ? scenario.onExhausted : 'end_turn'
      const text = `[scripted-model] scenario "${scenario.name}" has no turn ${view.position} (attempt ${attempt}).`
      if (onExhausted === 'error') return reject(res, record, 'invalid', text)
      const message = build({ text })
      if (!(await think(context, record, signal))) return
      record.status = 200
      record.messageId = message.id
      if (stream) await streamMessage(res, message, { clock, delayMs: 0, signal })
      else sendJson(res, 200, JSON.stringify(message))
      return
    }
    let message: WireMessage
    try {
      message = build(
        plan.kind === 'reply' ? plan.reply : (turn?.reply ?? { text: 'partial reply' }),
      )
    } catch (error) {
      if (error instanceof TemplateError)
        return reject(
          res,
          record,
          'invalid',
          `scenario "${scenario.name}" turn ${view.position}: ${error.message}`,
        )
      throw error
    }
    record.messageId = message.id
    record.usage = message.usage
    if (plan.kind === 'fault') {
      stats.faults[plan.fault.fault] += 1
      record.outcome = 'fault'
      record.fault = plan.fault.fault
      await sendFault(res, plan.fault, { clock, signal, stream, partial: message })
      record.status = res.headersSent ? res.statusCode : 0
      return
    }
    if (!(await think(context, record, signal))) {
      record.outcome = 'aborted'
      return
    }
    record.status = 200
    const complete = stream
      ? await streamMessage(res, message, { clock, delayMs: plan.delayMs, signal })
      : sendWhole(res, message)
    record.outcome = complete ? 'reply' : 'aborted'
    if (complete) {
      stats.replies += 1
      addUsage(stats.usage, message.usage)
    }
  }

  function handleInfo(res: ServerResponse, record: RecordedRequest): void {
    record.outcome = 'info'
    record.status = 200
    if (record.kind === 'count_tokens') {
      const body = typeof record.body === 'object' && record.body !== null ? record.body : {}
      return sendJson(res, 200, JSON.stringify({ input_tokens: estimateTokens(body) }))
    }
    if (record.kind === 'probe') {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end(record.method === 'HEAD' ? undefined : 'ok')
      return
    }
    const id = record.path.slice('/v1/models/'.length)
    if (record.path.startsWith('/v1/models/'))
      return sendJson(res, 200, JSON.stringify(modelInfo(decodeURIComponent(id))))
    const data = knownModels.map(modelInfo)
    sendJson(
      res,
      200,
      JSON.stringify({
        data,
        has_more: false,
        first_id: knownModels[0],
        last_id: knownModels.at(-1),
      }),
    )
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
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
    options.onRequest?.(record)
    try {
      await route(req, res, record)
    } finally {
      record.finishedAt = clock.now()
    }
  }

  async function route(
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedRequest,
  ): Promise<void> {
    switch (record.kind) {
      case 'messages':
        stats.messages += 1
        return handleMessages(req, res, record)
      case 'count_tokens':
      case 'models':
      case 'probe':
        return handleInfo(res, record)
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

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
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

function sendWhole(res: ServerResponse, message: WireMessage): true {
  sendJson(res, 200, JSON.stringify(message))
  return true
}

/** Aborts when the response is finished or the client went away; waits use it to stop early. */
function closeSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController()
  res.once('close', () => controller.abort())
  return controller.signal
}
