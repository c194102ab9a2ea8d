// Secrets in what the model received: tool results (owned by the attack whose Bash call they answer)
// and anything else in the requests (files Claude Code read into the context, reminders).
import type { RecordedRequest } from '../../src/scripted-model/index.js'
import type { Escape } from './evidence.js'
import { secretsIn } from './evidence.js'
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

/** Every secret the model was sent, by the attack whose Bash call returned it (else unattributed). */
export function secretsSentToModel(
  requests: readonly RecordedRequest[],
  secrets: readonly Secret[],
): Escape[] {
  const found = new Map<string, Escape>()
  for (const request of requests) {
    if (request.kind !== 'messages') continue
    const body = request.body as { messages?: { content?: unknown }[] } | undefined
    const blocks = (body?.messages ?? []).flatMap((message) =>
      Array.isArray(message.content) ? (message.content as Block[]) : [],
    )
    const owners = new Map<string, string>()
    for (const block of blocks) {
      const description = block.input?.description
      if (block.type === 'tool_use' && block.id && typeof description === 'string')
        owners.set(block.id, description.replace(/^attack /, ''))
    }
    const rest: unknown[] = []
    for (const block of blocks) {
      if (block.type !== 'tool_result') continue
      const id = owners.get(block.tool_use_id ?? '') ?? null
      for (const name of secretsIn(textOf(block.content), secrets))
        found.set(`${id}|${name}`, { id, kind: 'secret-to-model', detail: name })
      rest.push(block.content)
    }
    const others = JSON.stringify(request.body, (_key, value: unknown) =>
      rest.includes(value) ? '' : value,
    )
    for (const name of secretsIn(others, secrets))
      found.set(`null|${name}`, {
        id: null,
        kind: 'secret-to-model',
        detail: `${name} (outside tool results)`,
      })
  }
  return [...found.values()]
}
