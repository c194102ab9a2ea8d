import type { IncomingMessage, ServerResponse } from 'node:http'

import { z } from 'zod'

import type { Clock } from '../core/index.js'
import { describeRequest, MessagesRequest, type ScriptContext } from './model-request.js'
import { dynamicTurn, planTurn, type Plan, type Scenario } from './plan-turn.js'
import { addUsage, type RecordedRequest, type ScriptedModelStats } from './record.js'
import type { ScenarioRouter } from './scenario-router.js'
import type { ScriptTurn } from './scenario-schema.js'
import { pause, sendError, sendFault, sendJson, streamMessage } from './send.js'
import { TemplateError } from './template.js'
import { buildMessage, type WireMessage } from './wire.js'

export interface MessagesHandlerOptions {
  clock: Clock
  router: ScenarioRouter
  stats: ScriptedModelStats
  latencyMs?: number | ((context: ScriptContext) => number) | undefined
}

/** A request routed to its scenario, with what answering it needs. */
interface Routed {
  request: MessagesRequest
  scenario: Scenario
  context: ScriptContext
  turn: ScriptTurn | undefined
  build: (reply: Parameters<typeof buildMessage>[0]) => WireMessage
  signal: AbortSignal
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

/**
 * `POST /v1/messages`: routes each request to its scenario, counts the attempts at each turn of
 * each conversation, and answers with the turn's reply, a fault, or the end of the script.
 */
export class MessagesHandler {
  readonly #attempts = new Map<string, number>()

  constructor(private readonly options: MessagesHandlerOptions) {}

  async handle(req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<void> {
    const routed = await this.#route(req, res, record)
    if (routed === null) return
    const plan = planTurn(routed.turn, routed.context.attempt)
    if (plan.kind === 'exhausted') return this.#exhausted(res, record, routed)
    await this.#answer(res, record, routed, plan)
  }

  /** Parses the request, picks its scenario and turn; null once answered with a 400. */
  async #route(
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedRequest,
  ): Promise<Routed | null> {
    const parsed = MessagesRequest.safeParse(record.body)
    if (!parsed.success) {
      const problem = `request body is not a Messages API request: ${z.prettifyError(parsed.error)}`
      return this.#reject(res, record, 'invalid', problem)
    }
    const request = parsed.data
    record.stream = request.stream === true
    const view = describeRequest(request, req.headers)
    record.conversationId = view.conversationId
    record.position = view.position
    const resolved = this.options.router.resolve(view)
    if ('problem' in resolved) return this.#reject(res, record, 'unmatched', resolved.problem)
    const { scenario } = resolved
    record.scenario = scenario.name
    const key = `${scenario.name}\u0000${view.conversationId}\u0000${view.position}`
    const attempt = this.#attempts.get(key) ?? 0
    this.#attempts.set(key, attempt + 1)
    record.attempt = attempt
    const context: ScriptContext = { ...view, attempt }
    const turn = await turnFor(scenario, context)
    if (typeof turn === 'string') return this.#reject(res, record, 'invalid', turn)
    const model = scenario.model ?? request.model
    const build = (reply: Parameters<typeof buildMessage>[0]): WireMessage =>
      buildMessage(reply, {
        model,
        defaultUsage: scenario.usage,
        request: { system: request.system, messages: request.messages, tools: request.tools },
        context: scenario.kind === 'scripted' ? context : undefined,
      })
    return { request, scenario, context, turn, build, signal: closeSignal(res) }
  }

  /** The script has no turn here: an end_turn reply saying so, or a 400 when it should fail. */
  async #exhausted(res: ServerResponse, record: RecordedRequest, routed: Routed): Promise<void> {
    const { scenario, context, signal } = routed
    this.options.stats.exhausted += 1
    record.outcome = 'exhausted'
    const onExhausted = scenario.kind === 'scripted' ? scenario.onExhausted : 'end_turn'
    const text = `[scripted-model] scenario "${scenario.name}" has no turn ${context.position} (attempt ${context.attempt}).`
    if (onExhausted === 'error') {
      this.#reject(res, record, 'invalid', text)
      return
    }
    const message = routed.build({ text })
    if (!(await this.#think(context, record, signal))) return
    record.status = 200
    record.messageId = message.id
    if (routed.request.stream === true)
      await streamMessage(res, message, { clock: this.options.clock, delayMs: 0, signal })
    else sendJson(res, 200, JSON.stringify(message))
  }

  /** Answers with the turn's reply (after the latency) or its fault. */
  async #answer(
    res: ServerResponse,
    record: RecordedRequest,
    routed: Routed,
    plan: Exclude<Plan, { kind: 'exhausted' }>,
  ): Promise<void> {
    const { scenario, context, signal } = routed
    const { clock, stats } = this.options
    const stream = routed.request.stream === true
    let message: WireMessage
    try {
      message = routed.build(
        plan.kind === 'reply' ? plan.reply : (routed.turn?.reply ?? { text: 'partial reply' }),
      )
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error
      const problem = `scenario "${scenario.name}" turn ${context.position}: ${error.message}`
      this.#reject(res, record, 'invalid', problem)
      return
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
    if (!(await this.#think(context, record, signal))) {
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

  /** Waits the model's latency for this reply; false when the client left meanwhile. */
  async #think(
    context: ScriptContext,
    record: RecordedRequest,
    signal: AbortSignal,
  ): Promise<boolean> {
    const latency = this.options.latencyMs
    const ms = Math.max(0, typeof latency === 'function' ? latency(context) : (latency ?? 0))
    if (ms === 0) return true
    record.latencyMs = ms
    await pause(this.options.clock, ms, signal)
    return !signal.aborted
  }

  #reject(
    res: ServerResponse,
    record: RecordedRequest,
    outcome: 'unmatched' | 'invalid',
    problem: string,
  ): null {
    record.outcome = outcome
    record.problem = problem
    record.status = 400
    this.options.stats[outcome] += 1
    sendError(res, 400, 'invalid_request_error', `[scripted-model] ${problem}`)
    return null
  }
}

async function turnFor(
  scenario: Scenario,
  context: ScriptContext,
): Promise<ScriptTurn | string | undefined> {
  if (scenario.kind === 'scripted') return scenario.turns[context.position]
  const turn = dynamicTurn(await scenario.respond(context), scenario.name)
  return turn.ok ? turn.value : turn.error.message
}
