import { z } from 'zod'

import {
  ChatSessionId,
  ChatSessionInfo,
  Conversation,
  ConversationId,
  ConversationSummary,
} from '../../core/api/index.js'
import type { ChatKind } from '../../core/api/index.js'
import { err, ok } from '../../core/index.js'
import type { ApiRouter } from '../api-router.js'
import { ProjectName } from '../projects.js'
import type { ChatStores } from './chat-stores.js'
import type { ChatSessions } from './sessions.js'

export const ProjectParams = z.object({ project: ProjectName })
const ConversationParams = z.object({ project: ProjectName, id: ConversationId })
const SessionParams = z.object({ project: ProjectName, sessionId: ChatSessionId })

/** A chat's stored conversations: list, read, create, delete. */
export function registerConversationRoutes(
  api: ApiRouter,
  kind: ChatKind,
  stores: ChatStores,
): void {
  const tags = [`chat-${kind}`]
  const notFound = (params: { project: string; id: number }) =>
    err('NOT_FOUND', `No ${kind} conversation ${params.id} in project ${params.project}.`)
  api.route({
    method: 'GET',
    url: `/api/${kind}/conversations/:project`,
    summary: `The project's ${kind} conversations, most recently updated first`,
    tags,
    params: ProjectParams,
    response: z.array(ConversationSummary),
    handler: async ({ params }) => {
      const opened = await stores.open(params.project)
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
      const opened = await stores.open(params.project)
      if (!opened.ok) return opened
      const conversation = opened.value.chats.get(kind, params.id)
      return conversation ? ok(conversation) : notFound(params)
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
      const opened = await stores.open(params.project)
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
      const opened = await stores.open(params.project)
      if (!opened.ok) return opened
      return opened.value.chats.delete(kind, params.id) ? ok(undefined) : notFound(params)
    },
  })
}

/** A chat's live sessions (one per browser tab): list all, list a project's, close one. */
export function registerLiveSessionRoutes(
  api: ApiRouter,
  kind: ChatKind,
  sessions: ChatSessions,
): void {
  const tags = [`chat-${kind}`]
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
}
