import type { RawData, WebSocket } from 'ws'
import { z } from 'zod'

import {
  TerminalClientFrame,
  TerminalCreateBody,
  TerminalId,
  TerminalInfo,
  TerminalRenameBody,
  TerminalServerFrame,
} from '../../core/api/index.js'
import { ok } from '../../core/index.js'
import type { ApiRouter } from '../api-router.js'
import { parseClientFrame } from '../client-frames.js'
import type { ProjectResolver } from '../projects.js'
import { ProjectName } from '../projects.js'
import type { TerminalAttachment, TerminalManager } from '../terminal/manager.js'

const ProjectParams = z.object({ project: ProjectName })
const TerminalParams = z.object({ project: ProjectName, terminalId: TerminalId })

function send(socket: WebSocket, frame: TerminalServerFrame): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame))
}

/** Terminal tabs (REST) and their PTY streams (WebSocket). */
export function registerTerminalRoutes(
  api: ApiRouter,
  terminals: TerminalManager,
  projects: ProjectResolver,
): void {
  api.route({
    method: 'GET',
    url: '/api/terminal/:project',
    summary: "The project's terminal tabs",
    tags: ['terminal'],
    params: ProjectParams,
    response: z.array(TerminalInfo),
    handler: async ({ params }) => {
      const project = await projects(params.project)
      return project.ok ? ok(terminals.list(project.value.name)) : project
    },
  })
  api.route({
    method: 'POST',
    url: '/api/terminal/:project',
    summary: 'Open a terminal tab (the shell starts when a WebSocket sends its first resize)',
    tags: ['terminal'],
    params: ProjectParams,
    body: TerminalCreateBody.optional(),
    response: TerminalInfo,
    status: 201,
    handler: async ({ params, body }) => {
      const project = await projects(params.project)
      return project.ok ? ok(terminals.create(project.value, body?.name)) : project
    },
  })
  api.route({
    method: 'PATCH',
    url: '/api/terminal/:project/:terminalId',
    summary: 'Rename a terminal tab',
    tags: ['terminal'],
    params: TerminalParams,
    body: TerminalRenameBody,
    response: TerminalInfo,
    handler: ({ params, body }) => terminals.rename(params.project, params.terminalId, body.name),
  })
  api.route({
    method: 'DELETE',
    url: '/api/terminal/:project/:terminalId',
    summary: 'Close a terminal tab and its shell',
    tags: ['terminal'],
    params: TerminalParams,
    response: z.undefined(),
    status: 204,
    handler: ({ params }) => {
      const deleted = terminals.delete(params.project, params.terminalId)
      return deleted.ok ? ok(undefined) : deleted
    },
  })
  api.socket({
    url: '/api/terminal/ws/:project/:terminalId',
    summary: 'PTY stream: input and output base64, the first resize starts the shell',
    tags: ['terminal'],
    params: TerminalParams,
    clientFrame: TerminalClientFrame,
    serverFrame: TerminalServerFrame,
    handler: (socket, { params }) => serveTerminalSocket(socket, terminals, params),
  })
}

/** One PTY stream: output and the exit to the socket, the socket's frames to the shell. */
function serveTerminalSocket(
  socket: WebSocket,
  terminals: TerminalManager,
  params: { project: string; terminalId: string },
): void {
  const attached = terminals.attach(params.project, params.terminalId, {
    output: (data) =>
      send(socket, { type: 'output', data: Buffer.from(data, 'utf8').toString('base64') }),
    exit: (code) => {
      send(socket, { type: 'exit', code })
      socket.close(1000, 'shell exited')
    },
  })
  if (!attached.ok) {
    send(socket, { type: 'error', code: attached.error.code, message: attached.error.message })
    socket.close(4004, 'terminal not found')
    return
  }
  const attachment: TerminalAttachment = attached.value
  socket.on('message', (raw, isBinary) => onFrame(socket, attachment, raw, isBinary))
  socket.on('close', () => attachment.detach())
}

function onFrame(
  socket: WebSocket,
  attachment: TerminalAttachment,
  raw: RawData,
  isBinary: boolean,
): void {
  const frame = parseClientFrame(TerminalClientFrame, raw, isBinary)
  if (!frame.ok) {
    send(socket, { type: 'error', code: frame.error.code, message: frame.error.message })
    return
  }
  switch (frame.value.type) {
    case 'ping':
      send(socket, { type: 'pong' })
      return
    case 'resize':
      attachment.resize(frame.value.cols, frame.value.rows)
      return
    case 'input': {
      const written = attachment.write(Buffer.from(frame.value.data, 'base64').toString('utf8'))
      if (!written.ok)
        send(socket, { type: 'error', code: written.error.code, message: written.error.message })
      return
    }
    default:
      frame.value satisfies never
  }
}
