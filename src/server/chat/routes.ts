import { homedir } from 'node:os'

import { sdkRuntime } from '../../agents/index.js'
import type { ModelRuntime } from '../../agents/index.js'
import { ChatClientFrame, ChatServerFrame, SpecStatus } from '../../core/api/index.js'
import type { ChatKind } from '../../core/api/index.js'
import { ok } from '../../core/index.js'
import type { Result } from '../../core/index.js'
import type { ProjectStore } from '../../store/index.js'
import type { AutocoderServer } from '../app.js'
import type { ProjectRef, ProjectResolver } from '../projects.js'
import { serveChatSocket } from './chat-socket.js'
import { ChatStores } from './chat-stores.js'
import {
  ProjectParams,
  registerConversationRoutes,
  registerLiveSessionRoutes,
} from './conversation-routes.js'
import { ChatSessions } from './sessions.js'
import { readSpec } from './spec-files.js'
import type { StartInitializer } from './spec-flow.js'
import type { ServerError } from '../error-codes.js'

/** What the chats need from the rest of the server. */
export interface ChatDeps {
  projects: ProjectResolver
  /**
   * The project's store. Default: opened on first use, one per project, closed at shutdown. Pass
   * the server's own stores so feature events reach the project WebSocket.
   */
  openStore?: (project: ProjectRef) => Result<ProjectStore, ServerError>
  /** Default: the Claude Agent SDK. */
  runtime?: ModelRuntime
  /** Environment for the provider and the model process (default: ours; never passed whole). */
  env?: NodeJS.ProcessEnv
  /** Global settings (registry) for the provider and models. */
  globalSettings?: () => Readonly<Record<string, unknown>>
  claudePath?: string
  /** Bundled prompts folder (tests). */
  promptsDir?: string
  homeDir?: string
  /** `$AUTOCODER_HOME`, for the organisation's policy file (the same policy as the agents'). */
  autocoderHome?: string
  /** Starts the initializer after the spec chat (the run manager); without it the chat says so. */
  startInitializer?: StartInitializer
}

const KINDS: readonly ChatKind[] = ['spec', 'expand', 'assistant']

/**
 * The spec creation, expand project and assistant chats: conversations (REST), live sessions
 * (REST) and one WebSocket per browser tab, all closed when the server closes.
 */
export function registerChatRoutes(server: AutocoderServer, deps: ChatDeps): ChatSessions {
  const { api, app, clock } = server
  const homeDir = deps.homeDir ?? homedir()
  const runtime = deps.runtime ?? sdkRuntime
  const sessions = new ChatSessions()
  const stores = new ChatStores(deps.projects, clock, deps.openStore)

  app.addHook('onClose', () => {
    sessions.closeAll()
    stores.closeAll()
    return Promise.resolve()
  })

  for (const kind of KINDS) {
    registerConversationRoutes(api, kind, stores)
    registerLiveSessionRoutes(api, kind, sessions)
    const context = { kind, deps, stores, sessions, runtime, clock, homeDir }
    api.socket({
      url: `/api/${kind}/ws/:project`,
      summary: `The ${kind} chat: a new session per connection; send start, then messages`,
      tags: [`chat-${kind}`],
      params: ProjectParams,
      clientFrame: ChatClientFrame,
      serverFrame: ChatServerFrame,
      handler: (socket, { params }) => serveChatSocket(socket, params.project, context),
    })
  }

  api.route({
    method: 'GET',
    url: '/api/spec/status/:project',
    summary: 'Whether the project has an app spec, and which file agents use',
    tags: ['chat-spec'],
    params: ProjectParams,
    response: SpecStatus,
    handler: async ({ params }) => {
      const project = await deps.projects(params.project)
      if (!project.ok) return project
      const spec = readSpec(project.value.dir)
      return ok(
        spec === null
          ? { exists: false, path: null, updatedAt: null }
          : { exists: true, path: spec.path, updatedAt: spec.updatedAt },
      )
    },
  })
  return sessions
}
