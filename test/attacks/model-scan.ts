// Secrets in what the model received: tool results (owned by the attack whose Bash call they answer)
// and anything else in the requests (files Claude Code read into the context, reminders).
import type { RecordedRequest } from '../../src/scripted-model/index.js'
import type { Escape } from './evidence.js'
import { secretsIn } from './secret-scan.js'
import type { Secret } from './world.js'

interface Block {
  type?: string
  id?: string
  tool_use_id?: string
  input?: { description?: unknown }
  content?: unknown
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content))
    return content.map((part) => (part as { text?: string }).text ?? '').join('\n')
  return ''
}

/**
 * Every secret the model was sent, by the attack whose Bash call returned it (else unattributed).
 * Claude Code sends the whole conversation with every request: each distinct part (system prompt,
 * tool list, message block) is searched once.
 */
export function secretsSentToModel(
  requests: readonly RecordedRequest[],
  secrets: readonly Secret[],
): Escape[] {
  const found = new Map<string, Escape>()
  const seen = new Set<string>()
  for (const request of requests) {
    if (request.kind !== 'messages') continue
    const body = request.body as
      { system?: unknown; tools?: unknown; messages?: { content?: unknown }[] } | undefined
    const messages = body?.messages ?? []
    const blocks = messages.flatMap((message) =>
      Array.isArray(message.content) ? (message.content as Block[]) : [],
    )
    const owners = new Map<string, string>()
    for (const block of blocks) {
      const description = block.input?.description
      if (block.type === 'tool_use' && block.id && typeof description === 'string')
        owners.set(block.id, description.replace(/^attack /, ''))
    }
    const parts: unknown[] = [
      body?.system,
      body?.tools,
      ...messages.flatMap((message) =>
        Array.isArray(message.content) ? (message.content as unknown[]) : [message.content],
      ),
    ]
    for (const part of parts) {
      const text = JSON.stringify(part) ?? ''
      if (seen.has(text)) continue
      seen.add(text)
      const block = part as Block
      if (block?.type === 'tool_result') {
        const id = owners.get(block.tool_use_id ?? '') ?? null
        for (const name of secretsIn(textOf(block.content), secrets))
          found.set(`${id}|${name}`, { id, kind: 'secret-to-model', detail: name })
      } else
        for (const name of secretsIn(text, secrets))
          found.set(`null|${name}`, {
            id: null,
            kind: 'secret-to-model',
            detail: `${name} (outside tool results)`,
          })
    }
  }
  return [...found.values()]
}
