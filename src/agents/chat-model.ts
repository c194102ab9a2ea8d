import type { ChatKind } from '../core/api/index.js'
import { ok } from '../core/index.js'
import type { Result } from '../core/index.js'
import { modelFor, modelProcessEnv, resolveProvider } from './providers.js'
import type { SettingSources } from './providers.js'
import type { AgentError } from './error-codes.js'

/** How the model of a chat is reached: its id and the complete model-process environment. */
export interface ChatModelSetup {
  model: string
  env: Readonly<Record<string, string>>
}

/**
 * The model a chat talks to, from the same settings as a run: the assistant uses the testing
 * role's model, the spec and expand chats the initializer's; a missing credential is an error.
 */
export function chatModelSetup(
  kind: ChatKind,
  sources: SettingSources,
): Result<ChatModelSetup, AgentError> {
  const provider = resolveProvider(sources)
  if (!provider.ok) return provider
  const model = modelFor(kind === 'assistant' ? 'testing' : 'initializer', sources)
  return ok({
    model,
    env: modelProcessEnv(provider.value, { env: sources.env, isRoot: process.getuid?.() === 0 }),
  })
}
