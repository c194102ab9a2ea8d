import { z } from 'zod'

const Block = z.looseObject({ type: z.string() })
// Claude Code also sends role "system" messages inside `messages` (seen for model ids it has no profile for).
const Message = z.looseObject({ role: z.string(), content: z.union([z.string(), z.array(Block)]) })

/** The parts of a Messages API request body the scripted model reads; everything else is kept as is. */
export const MessagesRequest = z.looseObject({
  model: z.string().default('claude-sonnet-4-5'),
  messages: z.array(Message).default([]),
  system: z.union([z.string(), z.array(Block)]).optional(),
  tools: z.array(z.looseObject({ name: z.string() })).optional(),
  stream: z.boolean().optional(),
  max_tokens: z.number().optional(),
  metadata: z.looseObject({ user_id: z.string().optional() }).optional(),
})
export type MessagesRequest = z.infer<typeof MessagesRequest>
type RequestBlock = z.infer<typeof Block>

export interface ToolResultSeen {
  toolUseId: string
  /** The result's text (text parts joined by newlines). */
  text: string
  isError: boolean
}

/** What a scenario resolver, a dynamic scenario and the templates see of one request. */
export interface ScriptContext {
  request: MessagesRequest
  headers: Record<string, string | string[] | undefined>
  /** Claude Code's session id (header `x-claude-code-session-id`), else a hash of the first message. */
  conversationId: string
  /** Assistant messages already in the request = index of the turn to answer (0-based). */
  position: number
  /** How many times this turn of this conversation was asked for before (retries), 0-based. */
  attempt: number
  systemText: string
  /** Text of the first user message (Claude Code puts its environment reminder and the prompt there). */
  promptText: string
  /** `[[key:value]]` markers found in the system prompt and the first user message. */
  markers: Record<string, string>
  /**
   * Tool results carried by the last user message (the answers to the previous turn's tool calls),
   * text without the `<system-reminder>` notes Claude Code appends.
   */
  toolResults: ToolResultSeen[]
  /**
   * Tool results of every earlier turn: `history[k]` answers the tool calls of assistant reply `k`
   * (so `history[position - 1]` is `toolResults`); empty for a reply that called no tool.
   */
  history: ToolResultSeen[][]
  toolNames: string[]
  /** Claude Code's "Primary working directory", if it told the model. */
  cwd: string | undefined
  /** Every `#<digits>` in the first user message, in order, without repeats. */
  featureIds: number[]
}

function blockText(block: RequestBlock): string {
  if (block.type === 'text' && typeof block['text'] === 'string') return block['text']
  return ''
}

function contentText(content: string | RequestBlock[]): string {
  if (typeof content === 'string') return content
  return content
    .map(blockText)
    .filter((text) => text !== '')
    .join('\n')
}

/** Claude Code appends `<system-reminder>` notes to tool results; they are not the tool's output. */
function withoutReminders(text: string): string {
  return text.replace(/<system-reminder>[\s\S]*?<\/system-reminder>/g, '').trim()
}

function toolResultText(content: unknown): string {
  if (typeof content === 'string') return withoutReminders(content)
  if (!Array.isArray(content)) return ''
  const parts = content.map((part: unknown) =>
    typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string'
      ? part.text
      : '',
  )
  return withoutReminders(parts.join('\n'))
}

/** The top-level system prompt plus any role "system" messages. */
export function systemText(request: MessagesRequest): string {
  const inline = request.messages
    .filter((message) => message.role === 'system')
    .map((message) => contentText(message.content))
  return [request.system === undefined ? '' : contentText(request.system), ...inline]
    .filter((text) => text !== '')
    .join('\n')
}

export function firstUserText(request: MessagesRequest): string {
  const first = request.messages.find((message) => message.role === 'user')
  return first === undefined ? '' : contentText(first.content)
}

export function countAssistantTurns(request: MessagesRequest): number {
  return request.messages.filter((message) => message.role === 'assistant').length
}

function toolResultsOf(content: string | RequestBlock[]): ToolResultSeen[] {
  if (typeof content === 'string') return []
  return content
    .filter((block) => block.type === 'tool_result')
    .map((block) => ({
      toolUseId: typeof block['tool_use_id'] === 'string' ? block['tool_use_id'] : '',
      text: toolResultText(block['content']),
      isError: block['is_error'] === true,
    }))
}

export function lastToolResults(request: MessagesRequest): ToolResultSeen[] {
  const last = request.messages.at(-1)
  if (last === undefined || last.role !== 'user') return []
  return toolResultsOf(last.content)
}

/** The tool results answering each assistant reply, by the reply's position. */
export function toolResultHistory(request: MessagesRequest): ToolResultSeen[][] {
  const history: ToolResultSeen[][] = []
  for (const message of request.messages) {
    if (message.role === 'assistant') history.push([])
    else if (message.role === 'user' && history.length > 0)
      history[history.length - 1]!.push(...toolResultsOf(message.content))
  }
  return history
}

const markerPattern = /\[\[([\w.-]+):([^\]\n]*)\]\]/g

/** `[[key:value]]` markers in order of appearance; the first occurrence of a key wins. */
export function findMarkers(text: string): Record<string, string> {
  const markers: Record<string, string> = {}
  for (const match of text.matchAll(markerPattern)) {
    const [, key, value] = match
    if (key !== undefined && value !== undefined && !(key in markers)) markers[key] = value.trim()
  }
  return markers
}

export function findFeatureIds(text: string): number[] {
  const ids = [...text.matchAll(/#(\d+)\b/g)].map((match) => Number(match[1]))
  return [...new Set(ids)]
}

export function findCwd(text: string): string | undefined {
  return /Primary working directory: (\S+)/.exec(text)?.[1]
}

function hashText(text: string): string {
  let hash = 2166136261
  for (let index = 0; index < text.length; index++)
    hash = Math.imul(hash ^ text.charCodeAt(index), 16777619)
  return (hash >>> 0).toString(16)
}

export function conversationIdOf(
  request: MessagesRequest,
  headers: ScriptContext['headers'],
): string {
  const header = headers['x-claude-code-session-id']
  if (typeof header === 'string' && header !== '') return header
  return `h${hashText(systemText(request) + firstUserText(request))}`
}

/** Builds the context for one request; `attempt` is filled in by the server, which counts retries. */
export function describeRequest(
  request: MessagesRequest,
  headers: ScriptContext['headers'],
): Omit<ScriptContext, 'attempt'> {
  const system = systemText(request)
  const prompt = firstUserText(request)
  return {
    request,
    headers,
    conversationId: conversationIdOf(request, headers),
    position: countAssistantTurns(request),
    systemText: system,
    promptText: prompt,
    markers: { ...findMarkers(prompt), ...findMarkers(system) },
    toolResults: lastToolResults(request),
    history: toolResultHistory(request),
    toolNames: (request.tools ?? []).map((tool) => tool.name),
    cwd: findCwd(prompt) ?? findCwd(system),
    featureIds: findFeatureIds(prompt),
  }
}
