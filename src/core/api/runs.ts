import { z } from 'zod'

import { SandboxKindName, Usage } from '../events.js'
import { FeatureId } from '../feature.js'
import { ProjectStatsView } from './projects.js'

/** Starting a run; every field falls back to the project's, then the global settings, then defaults. */
export const RunStartBody = z.object({
  concurrency: z.number().int().min(1).max(10).optional(),
  testingAgents: z.number().int().min(0).max(3).optional(),
  batchSize: z.number().int().min(1).max(3).optional(),
  testingBatchSize: z.number().int().min(1).max(5).optional(),
  maxAttempts: z.number().int().min(1).max(100).optional(),
  /** Fast mode: no testing agents, no browser checks. */
  yolo: z.boolean().optional(),
  /** Model for every agent of this run (else the per-role settings). */
  model: z.string().min(1).max(200).optional(),
  maxCostUsd: z.number().positive().max(100_000).optional(),
  maxHours: z
    .number()
    .positive()
    .max(24 * 30)
    .optional(),
  /** Run the agents without the OS sandbox: the person accepts the risk (else the setting decides). */
  unsandboxed: z.boolean().optional(),
})
export type RunStartBody = z.infer<typeof RunStartBody>

export const ConcurrencyBody = z
  .object({
    coding: z.number().int().min(1).max(10).optional(),
    testing: z.number().int().min(0).max(3).optional(),
  })
  .refine(
    (body) => body.coding !== undefined || body.testing !== undefined,
    'give coding, testing or both',
  )

export const AnswerBody = z.object({
  featureId: FeatureId,
  text: z.string().trim().min(1).max(20_000),
})
export type AnswerBody = z.infer<typeof AnswerBody>

export const DrainBody = z.object({ reason: z.string().max(500).optional() })

export const RunMode = z.enum(['idle', 'running', 'paused', 'draining', 'stopping', 'finished'])

export const RunAgentView = z.object({
  agentId: z.string(),
  role: z.string(),
  featureIds: z.array(FeatureId),
  startedAt: z.number(),
  phase: z.string(),
  model: z.string().nullable(),
})
export type RunAgentView = z.infer<typeof RunAgentView>

/** A project's run as the server sees it: its own run, a run held by another process, or none. */
export const RunStatusView = z.object({
  project: z.string(),
  /** `server`: this server runs it; `external`: another process (e.g. `autocoder run`) holds the lock. */
  owner: z.enum(['none', 'server', 'external']),
  runId: z.string().nullable(),
  mode: RunMode,
  settings: z.record(z.string(), z.unknown()).nullable(),
  agents: z.array(RunAgentView),
  stats: ProjectStatsView,
  spend: z.object({ total: Usage, run: Usage.nullable() }),
  startedAt: z.number().nullable(),
  drainReason: z.string().nullable(),
  /** Where the current run's agent code runs (null: no run, or simulated agents). */
  sandbox: SandboxKindName.nullable(),
  lastRun: z
    .object({ runId: z.string(), reason: z.string(), message: z.string(), at: z.number() })
    .nullable(),
})
export type RunStatusView = z.infer<typeof RunStatusView>

export const SessionView = z.object({
  id: z.string(),
  runId: z.string().nullable(),
  agentId: z.string(),
  role: z.string(),
  featureIds: z.array(FeatureId),
  model: z.string(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  outcome: z.string().nullable(),
  usage: Usage,
})
export type SessionView = z.infer<typeof SessionView>
export const SessionsQuery = z.object({
  runId: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
})
export const SessionsResponse = z.object({ sessions: z.array(SessionView), total: Usage })

/** Past and current runs of a project, newest first, with what each spent. */
export const RunHistory = z.object({
  runs: z.array(
    z.object({
      runId: z.string(),
      startedAt: z.number(),
      finishedAt: z.number().nullable(),
      reason: z.string().nullable(),
      message: z.string().nullable(),
      options: z.record(z.string(), z.unknown()),
      spend: Usage,
    }),
  ),
})
export const RunHistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
})
