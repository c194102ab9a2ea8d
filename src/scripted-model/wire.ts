import type { ScriptContext } from './model-request.js'
import type { ReplyTurn, StopReason, Usage } from './scenario-schema.js'
import { renderTemplate, renderText } from './template.js'

/** A content block as the Messages API returns it. */
export type WireBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }

/** A complete assistant message as the Messages API returns it (non-streaming shape). */
export interface WireMessage {
  id: string
  type: 'message'
  role: 'assistant'
  model: string
  content: WireBlock[]
  stop_reason: StopReason
  stop_sequence: null
  usage: Usage
}

export interface SseEvent {
  event: string
  data: Record<string, unknown>
}

let sequence = 0
/** Ids unique within this process: `msg_scripted_…`, `toolu_scripted_…`. */
export function nextId(prefix: 'msg' | 'toolu'): string {
  sequence += 1
  return `${prefix}_scripted_${Date.now().toString(36)}${sequence.toString(36).padStart(4, '0')}`
}

/** Rough token count (4 characters a token): the default when a scenario gives no usage. */
export function estimateTokens(value: unknown): number {
  return Math.max(1, Math.ceil(JSON.stringify(value ?? '').length / 4))
}

function replyBlocks(reply: ReplyTurn, context: ScriptContext | undefined): WireBlock[] {
  const text = (value: string): string =>
    context === undefined ? value : renderText(value, context)
  const input = (value: Record<string, unknown>): Record<string, unknown> =>
    context === undefined ? value : (renderTemplate(value, context) as Record<string, unknown>)
  const blocks = reply.content ?? [
    ...(reply.thinking === undefined
      ? []
      : [{ type: 'thinking' as const, thinking: reply.thinking }]),
    ...(reply.text === undefined ? [] : [{ type: 'text' as const, text: reply.text }]),
    ...(reply.tools ?? []).map((tool) => ({ type: 'tool_use' as const, ...tool })),
  ]
  return blocks.map((block): WireBlock => {
    switch (block.type) {
      case 'text':
        return { type: 'text', text: text(block.text) }
      case 'thinking':
        return {
          type: 'thinking',
          thinking: text(block.thinking),
          signature: block.signature ?? 'scripted-signature',
        }
      case 'tool_use':
        return {
          type: 'tool_use',
          id: block.id ?? nextId('toolu'),
          name: block.name,
          input: input(block.input),
        }
    }
  })
}

/**
 * Builds the assistant message for a reply. `context` enables templates (scripted scenarios);
 * dynamic scenarios pass undefined and get their text verbatim.
 */
export function buildMessage(
  reply: ReplyTurn,
  options: {
    model: string
    defaultUsage: Usage | undefined
    request: unknown
    context: ScriptContext | undefined
  },
): WireMessage {
  const content = replyBlocks(reply, options.context)
  const usage = reply.usage ??
    options.defaultUsage ?? {
      input_tokens: estimateTokens(options.request),
      output_tokens: estimateTokens(content),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    }
  const stopReason =
    reply.stopReason ??
    (content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn')
  return {
    id: nextId('msg'),
    type: 'message',
    role: 'assistant',
    model: reply.model ?? options.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage,
  }
}

function chunks(text: string, size: number): string[] {
  if (text === '') return []
  const parts: string[] = []
  for (let start = 0; start < text.length; start += size)
    parts.push(text.slice(start, start + size))
  return parts
}

function blockEvents(block: WireBlock, index: number): SseEvent[] {
  const delta = (data: Record<string, unknown>): SseEvent => ({
    event: 'content_block_delta',
    data: { type: 'content_block_delta', index, delta: data },
  })
  const start = (contentBlock: Record<string, unknown>): SseEvent => ({
    event: 'content_block_start',
    data: { type: 'content_block_start', index, content_block: contentBlock },
  })
  const stop: SseEvent = {
    event: 'content_block_stop',
    data: { type: 'content_block_stop', index },
  }
  switch (block.type) {
    case 'text':
      return [
        start({ type: 'text', text: '' }),
        ...chunks(block.text, 40).map((text) => delta({ type: 'text_delta', text })),
        stop,
      ]
    case 'thinking':
      return [
        start({ type: 'thinking', thinking: '', signature: '' }),
        ...chunks(block.thinking, 40).map((thinking) =>
          delta({ type: 'thinking_delta', thinking }),
        ),
        delta({ type: 'signature_delta', signature: block.signature }),
        stop,
      ]
    case 'tool_use':
      return [
        start({ type: 'tool_use', id: block.id, name: block.name, input: {} }),
        ...chunks(JSON.stringify(block.input), 30).map((partial_json) =>
          delta({ type: 'input_json_delta', partial_json }),
        ),
        stop,
      ]
  }
}

/**
 * The SSE events of a streamed reply, in the Messages API order: message_start (input usage,
 * output_tokens 1), ping, per block start/delta.../stop, message_delta (stop_reason, final usage),
 * message_stop.
 */
export function sseEvents(message: WireMessage): SseEvent[] {
  const startUsage = { ...message.usage, output_tokens: Math.min(1, message.usage.output_tokens) }
  return [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: { ...message, content: [], stop_reason: null, usage: startUsage },
      },
    },
    { event: 'ping', data: { type: 'ping' } },
    ...message.content.flatMap(blockEvents),
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: { stop_reason: message.stop_reason, stop_sequence: null },
        usage: message.usage,
      },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  ]
}

export function formatSse(event: SseEvent): string {
  return `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`
}

/** The Messages API error body: `{"type":"error","error":{"type":…,"message":…}}`. */
export function errorBody(type: string, message: string): string {
  return JSON.stringify({ type: 'error', error: { type, message } })
}
