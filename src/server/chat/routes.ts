import { randomBytes } from 'node:crypto'
import { homedir } from 'node:os'

import type { RawData, WebSocket } from 'ws'
import { z } from 'zod'

import { modelFor, modelProcessEnv, resolveProvider, sdkRuntime } from '../../agents/index.js'
import type { ModelRuntime } from '../../agents/index.js'
import {
  ChatClientFrame,
  ChatServerFrame,
  ChatSessionId,
  ChatSessionInfo,
  Conversation,
  ConversationId,
  ConversationSummary,
  SpecStatus,
} from '../../core/api/index.js'
import type { ChatKind } from '../../core/api/index.js'
import { err, ok } from '../../core/index.js'
import type { Result } from '../../core/index.js'
import { ChatRepo, ProjectStore } from '../../store/index.js'
import type { AutocoderServer } from '../app.js'
import { describeZodError, redactPaths } from '../errors.js'
import type { ProjectRef, ProjectResolver } from '../projects.js'
import { ProjectName } from '../projects.js'
import { PROFILES } from './profiles.js'
import { ChatSession } from './session.js'
import type { ChatModelSetup, InitializerOptions } from './session.js'
import { ChatSessions } from './sessions.js'
import { readSpec } from './spec-files.js'

/** What the chats need from the rest of the server. */
export interface ChatDeps {
  projects: ProjectResolver
  /**
   * The project's store. Default: opened on first use, one per project, closed at shutdown. Pass
   * the server's own stores so feature events reach the project WebSocket.
   */
  openStore?: (project: ProjectRef) => Result<ProjectStore>
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
  startInitializer?: (project: ProjectRef, options: InitializerOptions) => Promise<Result<unknown>>
}

const KINDS: readonly ChatKind[] = ['spec', 'expand', 'assistant']
const ProjectParams = z.object({ project: ProjectName })
const ConversationParams = z.object({ project: ProjectName, id: ConversationId })
const SessionParams = z.object({ project: ProjectName, sessionId: ChatSessionId })

function rawText(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8')
  return Buffer.isBuffer(raw) ? raw.toString('utf8') : Buffer.from(raw).toString('utf8')
}

function sendFrame(socket: WebSocket, frame: ChatServerFrame): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame))
}

/** Parses one client frame; a malformed one is answered with an error frame and dropped. */
function parseFrame(raw: RawData, isBinary: boolean): Result<ChatClientFrame> {
  let json: unknown
  try {
    json = isBinary ? undefined : JSON.parse(rawText(raw))
  } catch {
    json = undefined
  }
  if (json === undefined)
    return err('INVALID_INPUT', 'Frames must be JSON text objects with a "type".')
  const frame = ChatClientFrame.safeParse(json)
  return frame.success
    ? ok(frame.data)
    : err('INVALID_INPUT', describeZodError(frame.error, 'frame'))
}

function modelSetupFor(
  kind: ChatKind,
  store: ProjectStore,
  deps: ChatDeps,
  homeDir: string,
): Result<ChatModelSetup> {
  const env = deps.env ?? process.env
  const sources = {
    project: store.settings.all(),
    global: deps.globalSettings?.(),
    env,
    home: env['HOME'] ?? homeDir,
  }
  const provider = resolveProvider(sources)
  if (!provider.ok) return provider
  const model = modelFor(kind === 'assistant' ? 'testing' : 'initializer', sources)
  return ok({
    model,
    env: modelProcessEnv(provider.value, { env, isRoot: process.getuid?.() === 0 }),
  })
}

/**
 * The spec creation, expand project and assistant chats: conversations (REST), live sessions
 * (REST) and one WebSocket per browser tab, all closed when the server closes.
 */
export function registerChatRoutes(server: AutocoderServer, deps: ChatDeps): ChatSessions {
  const { api, app, clock } = server
  const homeDir = deps.homeDir ?? homedir()
  const runtime = deps.runtime ?? sdkRuntime
  const sessions = new ChatSessions()
  const ownStores = new Map<string, ProjectStore>()

  const openStore = (project: ProjectRef): Result<ProjectStore> => {
    if (deps.openStore) return deps.openStore(project)
    const cached = ownStores.get(project.dir)
    if (cached) return ok(cached)
    const opened = ProjectStore.open(project.dir, { clock })
    if (opened.ok) ownStores.set(project.dir, opened.value)
    return opened
  }

  const withStore = async (
    name: string,
  ): Promise<Result<{ project: ProjectRef; chats: ChatRepo; store: ProjectStore }>> => {
    const project = await deps.projects(name)
    if (!project.ok) return project
    const store = openStore(project.value)
    if (!store.ok) return store
    return ok({
      project: project.value,
      store: store.value,
      chats: new ChatRepo(store.value.db, clock),
    })
  }

  app.addHook('onClose', () => {
    sessions.closeAll()
    for (const store of ownStores.values()) store.close()
    ownStores.clear()
    return Promise.resolve()
  })

  for (const kind of KINDS) {
    const tags = [`chat-${kind}`]
    api.route({
      method: 'GET',
      url: `/api/${kind}/conversations/:project`,
      summary: `The project's ${kind} conversations, most recently updated first`,
      tags,
      params: ProjectParams,
      response: z.array(ConversationSummary),
      handler: async ({ params }) => {
        const opened = await withStore(params.project)
        return opened.ok ? ok(opened.value.chats.list(kind)) : opened
      },
    })
    api.route({
      method: 'GET',
      url: `/api/${kind}/conversations/:project/:id`,
      summary: `One ${kind} conversation with its messages, oldest first`,
      tags,
      params: ConversationParams,
      response: Conversation,
      handler: async ({ params }) => {
        const opened = await withStore(params.project)
        if (!opened.ok) return opened
        const conversation = opened.value.chats.get(kind, params.id)
        return conversation
          ? ok(conversation)
          : err('NOT_FOUND', `No ${kind} conversation ${params.id} in project ${params.project}.`)
      },
    })
    api.route({
      method: 'POST',
      url: `/api/${kind}/conversations/:project`,
      summary: `Create an empty ${kind} conversation (continue it with a WebSocket start)`,
      tags,
      params: ProjectParams,
      response: ConversationSummary,
      status: 201,
      handler: async ({ params }) => {
        const opened = await withStore(params.project)
        return opened.ok ? ok(opened.value.chats.create(kind)) : opened
      },
    })
    api.route({
      method: 'DELETE',
      url: `/api/${kind}/conversations/:project/:id`,
      summary: `Delete a ${kind} conversation and its messages`,
      tags,
      params: ConversationParams,
      response: z.undefined(),
      status: 204,
      handler: async ({ params }) => {
        const opened = await withStore(params.project)
        if (!opened.ok) return opened
        return opened.value.chats.delete(kind, params.id)
          ? ok(undefined)
          : err('NOT_FOUND', `No ${kind} conversation ${params.id} in project ${params.project}.`)
      },
    })
    api.route({
      method: 'GET',
      url: `/api/${kind}/sessions`,
      summary: `Live ${kind} chat sessions (one per browser tab)`,
      tags,
      response: z.array(ChatSessionInfo),
      handler: () => ok(sessions.list(kind)),
    })
    api.route({
      method: 'GET',
      url: `/api/${kind}/sessions/:project`,
      summary: `Live ${kind} chat sessions of a project`,
      tags,
      params: ProjectParams,
      response: z.array(ChatSessionInfo),
      handler: ({ params }) => ok(sessions.list(kind, params.project)),
    })
    api.route({
      method: 'DELETE',
      url: `/api/${kind}/sessions/:project/:sessionId`,
      summary: `Close a live ${kind} chat session (stops its model turn, closes its socket)`,
      tags,
      params: SessionParams,
      response: z.undefined(),
      status: 204,
      handler: ({ params }) =>
        sessions.close(kind, params.project, params.sessionId)
          ? ok(undefined)
          : err(
              'NOT_FOUND',
              `No live ${kind} session ${params.sessionId} in project ${params.project}.`,
            ),
    })
    api.socket({
      url: `/api/${kind}/ws/:project`,
      summary: `The ${kind} chat: a new session per connection; send start, then messages`,
      tags,
      params: ProjectParams,
      clientFrame: ChatClientFrame,
      serverFrame: ChatServerFrame,
      handler: (socket, { params }) => {
        // Frames that arrive while the project is looked up wait for the session.
        const early: Array<[RawData, boolean]> = []
        let session: ChatSession | null = null
        let gone = false
        const onFrame = (raw: RawData, isBinary: boolean): void => {
          if (session === null) {
            early.push([raw, isBinary])
            return
          }
          const frame = parseFrame(raw, isBinary)
          if (!frame.ok)
            sendFrame(socket, {
              type: 'error',
              code: frame.error.code,
              message: frame.error.message,
            })
          else {
            try {
              session.handle(frame.value)
            } catch {
              // A failing store must not take the server down with an exception in a socket listener.
              sendFrame(socket, {
                type: 'error',
                code: 'INTERNAL',
                message: 'The chat could not handle that frame.',
              })
            }
          }
        }
        socket.on('message', onFrame)
        const sessionId = randomBytes(12).toString('base64url')
        socket.on('close', () => {
          gone = true
          session?.close()
          sessions.remove(sessionId)
        })
        void (async () => {
          const opened = await withStore(params.project)
          if (gone) return
          if (!opened.ok) {
            sendFrame(socket, {
              type: 'error',
              code: opened.error.code,
              message: redactPaths(opened.error.message, homeDir),
            })
            socket.close(4004, 'project not found')
            return
          }
          const { project, store, chats } = opened.value
          const profile = PROFILES[kind]
          if (profile.needsSpec && readSpec(project.dir) === null) {
            sendFrame(socket, {
              type: 'error',
              code: 'NO_SPEC',
              message: 'This project has no app spec yet; create one with the spec chat first.',
            })
            socket.close(4004, 'no app spec')
            return
          }
          session = new ChatSession({
            sessionId,
            profile,
            project,
            store,
            chats,
            runtime,
            modelSetup: () => modelSetupFor(kind, store, deps, homeDir),
            send: (frame) => sendFrame(socket, frame),
            clock,
            homeDir,
            autocoderHome: deps.autocoderHome,
            claudePath: deps.claudePath,
            promptsDir: deps.promptsDir,
            startInitializer: deps.startInitializer,
          })
          sessions.add(sessionId, {
            kind,
            project: project.name,
            session,
            disconnect: () => socket.close(1001, 'chat closed'),
          })
          sendFrame(socket, { type: 'session', sessionId, kind })
          for (const [raw, isBinary] of early.splice(0)) onFrame(raw, isBinary)
        })()
      },
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
