import { z } from 'zod'

/** Token usage the fake model reports for one reply; names as on the Messages API wire. */
export const Usage = z.strictObject({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  cache_creation_input_tokens: z.number().int().nonnegative().default(0),
  cache_read_input_tokens: z.number().int().nonnegative().default(0),
})
export type Usage = z.infer<typeof Usage>

const ToolInput = z.record(z.string(), z.unknown())

export const TextBlock = z.strictObject({ type: z.literal('text'), text: z.string() })
export const ThinkingBlock = z.strictObject({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string().optional(),
})
export const ToolUseBlock = z.strictObject({
  type: z.literal('tool_use'),
  name: z.string().min(1),
  input: ToolInput.default({}),
  id: z.string().min(1).optional(),
})
export const ContentBlock = z.discriminatedUnion('type', [TextBlock, ThinkingBlock, ToolUseBlock])
export type ContentBlock = z.infer<typeof ContentBlock>

/** Shorthand for a tool_use block: `{ name: "Bash", input: { command: "ls" } }`. */
export const ToolCall = z.strictObject({
  name: z.string().min(1),
  input: ToolInput.default({}),
  id: z.string().min(1).optional(),
})

export const StopReason = z.enum([
  'end_turn',
  'tool_use',
  'max_tokens',
  'stop_sequence',
  'pause_turn',
  'refusal',
])
export type StopReason = z.infer<typeof StopReason>

/**
 * One model reply. Either `content` (explicit blocks) or the shorthands `thinking`, `text`, `tools`
 * (emitted in that order). `stopReason` defaults to `tool_use` when the reply calls a tool, else
 * `end_turn`; `usage` defaults to the scenario's `usage`, else an estimate from the request size.
 */
export const ReplyTurn = z
  .strictObject({
    text: z.string().optional(),
    thinking: z.string().optional(),
    tools: z.array(ToolCall).optional(),
    content: z.array(ContentBlock).min(1).optional(),
    usage: Usage.optional(),
    stopReason: StopReason.optional(),
    model: z.string().min(1).optional(),
  })
  .refine(
    (turn) =>
      (turn.content === undefined) !==
      (turn.text === undefined && turn.thinking === undefined && turn.tools === undefined),
    {
      message:
        'a reply needs either "content" or at least one of "text", "thinking", "tools" (not both forms)',
    },
  )
export type ReplyTurn = z.infer<typeof ReplyTurn>

const retryFields = {
  /** Seconds, sent as the `retry-after` header. */
  retryAfter: z.number().nonnegative().optional(),
  /** Sent as `x-should-retry: true|false`; the Anthropic client obeys it over its own status rules. */
  shouldRetry: z.boolean().optional(),
  message: z.string().min(1).optional(),
}

/** Faults. All except `slow` answer one attempt instead of the reply; `slow` paces the reply. */
export const Fault = z.discriminatedUnion('fault', [
  z.strictObject({ fault: z.literal('rate_limit'), ...retryFields }),
  z.strictObject({ fault: z.literal('overloaded'), ...retryFields }),
  z.strictObject({
    fault: z.literal('error'),
    status: z.number().int().min(400).max(599),
    errorType: z.string().min(1).default('api_error'),
    ...retryFields,
  }),
  /** Sends the first `afterEvents` SSE events of the reply, then destroys the socket. */
  z.strictObject({
    fault: z.literal('drop'),
    afterEvents: z.number().int().nonnegative().default(3),
  }),
  /** Waits `delayMs` before each SSE event of the following reply (does not use up an attempt). */
  z.strictObject({ fault: z.literal('slow'), delayMs: z.number().int().nonnegative() }),
  /** Sends nothing at all (not even headers) for `ms`, then destroys the socket; no `ms`: until the client gives up. */
  z.strictObject({ fault: z.literal('silent'), ms: z.number().int().nonnegative().optional() }),
])
export type Fault = z.infer<typeof Fault>
export type AttemptFault = Exclude<Fault, { fault: 'slow' }>

/** A scenario file entry: a fault (has a `fault` key) or a reply. */
export type Step = Fault | ReplyTurn

export const ScenarioHeader = z.strictObject({
  name: z.string().regex(/^[\w.:-]+$/, 'use letters, digits, "_", "-", "." or ":"'),
  description: z.string().optional(),
  /** Default usage for replies that give none. */
  usage: Usage.optional(),
  /** Model id echoed in replies; default: the model the request asked for. */
  model: z.string().min(1).optional(),
  /** What to answer once the conversation has more turns than the script: a text reply or an HTTP 400. */
  onExhausted: z.enum(['end_turn', 'error']).default('end_turn'),
  turns: z.array(z.record(z.string(), z.unknown())).min(1),
})

/**
 * A turn of the conversation as the server plays it: the faults answered to the first attempts
 * (in order), then the reply (pace: `delayMs` before each SSE event). A missing reply means the
 * script ended with faults only.
 */
export interface ScriptTurn {
  faults: AttemptFault[]
  delayMs: number
  reply: ReplyTurn | undefined
}

export interface ScriptedScenario {
  kind: 'scripted'
  name: string
  description?: string | undefined
  usage?: Usage | undefined
  model?: string | undefined
  onExhausted: 'end_turn' | 'error'
  turns: ScriptTurn[]
}
