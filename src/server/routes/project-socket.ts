import type { RawData, WebSocket } from 'ws'
import { z } from 'zod'

import { ProjectClientFrame, ProjectServerFrame, ProjectSocketQuery } from '../../core/api/index.js'
import type { ProjectSnapshot } from '../../core/api/index.js'
import type { AppEvent } from '../../core/index.js'
import type { ProjectStore } from '../../store/index.js'
import type { ApiRouter } from '../api-router.js'
import { parseClientFrame } from '../client-frames.js'
import { describeZodError } from '../errors.js'
import { ProjectName } from '../projects.js'
import type { AppServices } from '../services.js'

const Params = z.object({ project: ProjectName })
/** Events read from the log per page while replaying. */
const REPLAY_PAGE = 500
/**
 * Unsent bytes a client may fall behind by before it is disconnected; it reconnects with
 * `?after=<last id>` and gets the rest from the log instead of the server buffering without bound.
 */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024

function send(socket: WebSocket, frame: ProjectServerFrame): void {
  if (socket.readyState !== socket.OPEN) return
  if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
    socket.close(4008, 'client too slow; reconnect with ?after=<last event id>')
    return
  }
  socket.send(JSON.stringify(frame))
}

/** What a client needs to draw the project before live events: board, run, dev server, spend. */
export function projectSnapshot(
  services: AppServices,
  project: string,
  store: ProjectStore,
): ProjectSnapshot {
  const run = services.runs.status(project, store)
  const holders = new Map(store.claims.list().map((claim) => [claim.featureId, claim.agentId]))
  return {
    type: 'snapshot',
    project,
    lastEventId: store.events.lastId(),
    stats: run.stats,
    features: store.features.list().map(({ id, name, category, state }) => ({
      id,
      name,
      category,
      state,
      heldBy: holders.get(id) ?? null,
    })),
    run,
    devServer: services.devServers.status(project),
    spend: run.spend.total,
  }
}

function onFrame(socket: WebSocket, raw: RawData, isBinary: boolean): void {
  const frame = parseClientFrame(ProjectClientFrame, raw, isBinary, '"ping"')
  if (!frame.ok) {
    send(socket, { type: 'error', code: frame.error.code, message: frame.error.message })
    return
  }
  switch (frame.value.type) {
    case 'ping':
      send(socket, { type: 'pong' })
      return
    default:
      frame.value.type satisfies never
  }
}

/**
 * The project socket: a snapshot on connect, then every event of the project as it happens.
 * With `?after=<id>` the events the client missed are replayed from the log first (then a
 * `replayed` frame); each event is sent once, in id order.
 */
export function registerProjectSocket(api: ApiRouter, services: AppServices): void {
  api.socket({
    url: '/api/projects/:project/ws',
    summary:
      'Live project events: snapshot, then every event (resume with ?after=<lastEventId>), dev-server output',
    tags: ['events'],
    params: Params,
    clientFrame: ProjectClientFrame,
    serverFrame: ProjectServerFrame,
    handler: (socket, { params, request }) => {
      const query = ProjectSocketQuery.safeParse(request.query ?? {})
      if (!query.success) {
        send(socket, {
          type: 'error',
          code: 'INVALID_INPUT',
          message: describeZodError(query.error, 'query'),
        })
        socket.close(4000, 'invalid query')
        return
      }
      const opened = services.hub.open(params.project)
      const feed = opened.ok ? services.feed(params.project) : null
      if (!opened.ok || feed === null) {
        send(socket, {
          type: 'error',
          code: 'PROJECT_NOT_FOUND',
          message: `No project named "${params.project}" is registered.`,
        })
        socket.close(4004, 'project not found')
        return
      }
      const { store } = opened.value
      socket.on('message', (raw, isBinary) => onFrame(socket, raw, isBinary))
      // Everything below runs synchronously: no event can slip between the log read and the subscription.
      const snapshot = projectSnapshot(services, params.project, store)
      send(socket, snapshot)
      let sentUpTo = snapshot.lastEventId
      const after = query.data.after
      if (after !== undefined) {
        sentUpTo = Math.min(after, snapshot.lastEventId)
        let count = 0
        for (;;) {
          const page = store.events.after(sentUpTo, REPLAY_PAGE)
          for (const event of page) send(socket, { type: 'event', event })
          count += page.length
          sentUpTo = page.at(-1)?.id ?? sentUpTo
          if (page.length < REPLAY_PAGE) break
        }
        send(socket, { type: 'replayed', count, lastEventId: sentUpTo })
      }
      const onEvent = (event: AppEvent): void => {
        if (event.id <= sentUpTo) return
        sentUpTo = event.id
        send(socket, { type: 'event', event })
      }
      const unsubscribe = feed.subscribe(onEvent, () => {
        send(socket, {
          type: 'error',
          code: 'PROJECT_NOT_FOUND',
          message: `Project ${params.project} was removed.`,
        })
        socket.close(4004, 'project removed')
      })
      const unsubscribeDev = services.devServers.subscribe((event) => {
        const project = event.type === 'dev.log' ? event.project : event.status.project
        if (project === params.project) send(socket, { type: 'dev', event })
      })
      socket.on('close', () => {
        unsubscribe()
        unsubscribeDev()
      })
    },
  })
}
