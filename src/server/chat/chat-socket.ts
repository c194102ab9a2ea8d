import { randomBytes } from 'node:crypto'

import type { RawData, WebSocket } from 'ws'

import { chatModelSetup } from '../../agents/index.js'
import type { ChatModelSetup, ModelRuntime } from '../../agents/index.js'
import { ChatClientFrame } from '../../core/api/index.js'
import type { ChatKind, ChatServerFrame } from '../../core/api/index.js'
import type { Clock, Result } from '../../core/index.js'
import type { ProjectStore } from '../../store/index.js'
import { parseClientFrame } from '../client-frames.js'
import { redactPaths } from '../errors.js'
import type { ChatStores } from './chat-stores.js'
import { PROFILES } from './profiles.js'
import type { ChatDeps } from './routes.js'
import { ChatSession } from './session.js'
import type { ChatSessions } from './sessions.js'
import { readSpec } from './spec-files.js'
import type { ServerError } from '../error-codes.js'

/** What a chat's WebSocket needs from the routes. */
export interface ChatSocketContext {
  kind: ChatKind
  deps: ChatDeps
  stores: ChatStores
  sessions: ChatSessions
  runtime: ModelRuntime
  clock: Clock
  homeDir: string
}

function sendFrame(socket: WebSocket, frame: ChatServerFrame): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame))
}

function modelSetupFor(
  kind: ChatKind,
  store: ProjectStore,
  deps: ChatDeps,
  homeDir: string,
): Result<ChatModelSetup, ServerError> {
  const env = deps.env ?? process.env
  return chatModelSetup(kind, {
    project: store.settings.all(),
    global: deps.globalSettings?.(),
    env,
    home: env['HOME'] ?? homeDir,
  })
}

/** Hands one frame to the session; a malformed frame or a failure is answered with an error. */
function deliver(socket: WebSocket, session: ChatSession, raw: RawData, isBinary: boolean): void {
  const frame = parseClientFrame(ChatClientFrame, raw, isBinary)
  if (!frame.ok) {
    sendFrame(socket, { type: 'error', code: frame.error.code, message: frame.error.message })
    return
  }
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

/**
 * One chat connection: a new session for the project once it is found (frames that arrive while
 * it is looked up wait for it), closed with the socket.
 */
export function serveChatSocket(
  socket: WebSocket,
  projectName: string,
  ctx: ChatSocketContext,
): void {
  const early: Array<[RawData, boolean]> = []
  let session: ChatSession | null = null
  let gone = false
  const onFrame = (raw: RawData, isBinary: boolean): void => {
    if (session === null) early.push([raw, isBinary])
    else deliver(socket, session, raw, isBinary)
  }
  socket.on('message', onFrame)
  const sessionId = randomBytes(12).toString('base64url')
  socket.on('close', () => {
    gone = true
    session?.close()
    ctx.sessions.remove(sessionId)
  })
  void openSession(socket, { projectName, sessionId, isGone: () => gone }, ctx).then((opened) => {
    if (opened === null) return
    session = opened
    ctx.sessions.add(sessionId, {
      kind: ctx.kind,
      project: opened.info().project,
      session: opened,
      disconnect: () => socket.close(1001, 'chat closed'),
    })
    sendFrame(socket, { type: 'session', sessionId, kind: ctx.kind })
    for (const [raw, isBinary] of early.splice(0)) onFrame(raw, isBinary)
  })
}

/**
 * The session of a new connection; null when the socket closed meanwhile, or when it cannot have
 * one (the socket is then closed with the reason).
 */
async function openSession(
  socket: WebSocket,
  connection: { projectName: string; sessionId: string; isGone: () => boolean },
  ctx: ChatSocketContext,
): Promise<ChatSession | null> {
  const { kind, deps, homeDir } = ctx
  const opened = await ctx.stores.open(connection.projectName)
  if (connection.isGone()) return null
  if (!opened.ok) {
    const message = redactPaths(opened.error.message, homeDir)
    sendFrame(socket, { type: 'error', code: opened.error.code, message })
    socket.close(4004, 'project not found')
    return null
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
    return null
  }
  return new ChatSession({
    sessionId: connection.sessionId,
    profile,
    project,
    store,
    chats,
    runtime: ctx.runtime,
    modelSetup: () => modelSetupFor(kind, store, deps, homeDir),
    send: (frame) => sendFrame(socket, frame),
    clock: ctx.clock,
    homeDir,
    autocoderHome: deps.autocoderHome,
    claudePath: deps.claudePath,
    promptsDir: deps.promptsDir,
    startInitializer: deps.startInitializer,
  })
}
