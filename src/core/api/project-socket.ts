import { z } from 'zod'

import { EventBody, Usage } from '../events.js'
import { FeatureId, FeatureState } from '../feature.js'
import { DevServerEvent, DevServerStatus } from './dev-server.js'
import { ProjectStatsView } from './projects.js'
import { RunStatusView } from './runs.js'

/** Query of the project socket: resume after the last event id the client saw. */
export const ProjectSocketQuery = z.object({
  after: z.coerce.number().int().min(0).optional(),
})

/** A page of the event log, read backwards (newest first), optionally of one agent or feature. */
export const EventsQuery = z.object({
  /** Only events with a smaller id (the oldest id of the previous page). */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  agentId: z.string().min(1).max(200).optional(),
  featureId: z.coerce.number().pipe(FeatureId).optional(),
})

export const ProjectClientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping') }),
])
export type ProjectClientFrame = z.infer<typeof ProjectClientFrame>

/** An event of the project's log, as stored: its body plus id and time. */
export const StoredEvent = z.intersection(
  EventBody,
  z.object({ id: z.number().int().positive(), at: z.number() }),
)

export const EventsResponse = z.object({
  events: z.array(StoredEvent),
  /** The newest event id of the whole log when read (live events after it come by the socket). */
  lastEventId: z.number().int(),
})
export type EventsResponse = z.infer<typeof EventsResponse>

export const ProjectSnapshot = z.object({
  type: z.literal('snapshot'),
  project: z.string(),
  /** Id of the last event in the log when the snapshot was taken. */
  lastEventId: z.number().int(),
  stats: ProjectStatsView,
  features: z.array(
    z.object({
      id: FeatureId,
      name: z.string(),
      category: z.string(),
      state: FeatureState,
      heldBy: z.string().nullable(),
    }),
  ),
  run: RunStatusView,
  devServer: DevServerStatus,
  spend: Usage,
})
export type ProjectSnapshot = z.infer<typeof ProjectSnapshot>

export const ProjectServerFrame = z.discriminatedUnion('type', [
  ProjectSnapshot,
  /** Events missed since `after` were all sent; live events follow. */
  z.object({ type: z.literal('replayed'), count: z.number().int(), lastEventId: z.number().int() }),
  z.object({ type: z.literal('event'), event: StoredEvent }),
  z.object({ type: z.literal('dev'), event: DevServerEvent }),
  z.object({ type: z.literal('pong') }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
])
export type ProjectServerFrame = z.infer<typeof ProjectServerFrame>
