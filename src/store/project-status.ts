// A project's run status read straight from its database with hand-written row checks and no
// zod: `autocoder status --json` runs in loops, and loading zod and the repos' schemas costs more
// than the whole read. The CLI, the server's run status and the orchestrator all read it here.
import type { Feature, FeatureStats, SandboxKindName, Usage } from '../core/index.js'
// Not through core's index, which loads zod: a declared exception (eslint.config.mjs).
import { computeStats } from '../core/feature-states.js'
import { SANDBOX_KINDS } from '../core/sandbox-kinds.js'
import { listClaims } from './claim-rows.js'
import type { HeldClaim } from './claim-rows.js'
import type { Db } from './database.js'
import { readJsonColumn } from './json-column.js'
import type { ColumnParser } from './json-column.js'
import { liveLock, lockHolderAlive } from './lock-repo.js'
import type { OrchestratorLock } from './lock-repo.js'
import { usageTotals } from './session-usage.js'

export interface AgentView {
  agentId: string
  role: string
  featureIds: number[]
  model: string
  startedAt: number
}

type FeatureView = Pick<
  Feature,
  'id' | 'name' | 'category' | 'state' | 'attempts' | 'dependencies' | 'lastVerifiedAt'
> & { heldBy: string | null }

/** What `autocoder status` and the server show, read from the database (no orchestrator needed). */
export interface ProjectStatus {
  /**
   * The orchestrator running this project, if any (a lock whose lease has not run out), and where
   * its agents' code runs (null: simulated agents, or a run from before this was recorded).
   */
  run: (OrchestratorLock & { alive: boolean; sandbox: SandboxKindName | null }) | null
  stats: FeatureStats
  features: FeatureView[]
  claims: HeldClaim[]
  /** Sessions of the current run that have not finished. */
  agents: AgentView[]
  spend: { total: Usage; run: Usage | null }
  /** How the last finished run ended, if any run finished. */
  lastRun: { runId: string; reason: string; message: string; at: number } | null
}

/**
 * Reads a project's run status. The run is the lock's holder while its lease lasts and
 * `isAlive(lock)` holds (pass a check that a holder on this host still has its process, so a
 * crashed run does not show as running until its lease ends).
 */
export function readProjectStatus(
  db: Db,
  now: number,
  isAlive: (lock: OrchestratorLock) => boolean = lockHolderAlive,
): ProjectStatus {
  const live = liveLock(db, now, isAlive)
  const claims = listClaims(db)
  const holders = new Map(claims.map((claim) => [claim.featureId, claim.agentId]))
  const features = featureViews(db, holders)
  return {
    run: live ? { ...live, alive: true, sandbox: runSandbox(db, live.owner) } : null,
    stats: computeStats(features.map((feature) => feature.state)),
    features,
    claims,
    agents: live ? openSessions(db, live.owner) : [],
    spend: { total: usageTotals(db), run: live ? usageTotals(db, live.owner) : null },
    lastRun: lastRunFinished(db),
  }
}

/** Every feature by id with its dependencies (ascending) and the agent holding it, if any. */
function featureViews(db: Db, holders: ReadonlyMap<number, string>): FeatureView[] {
  const dependencies = new Map<number, number[]>()
  const edges = db
    .prepare(
      'SELECT feature_id, depends_on FROM feature_dependencies ORDER BY feature_id, depends_on',
    )
    .all() as Array<{ feature_id: number; depends_on: number }>
  for (const edge of edges) {
    const list = dependencies.get(edge.feature_id)
    if (list) list.push(edge.depends_on)
    else dependencies.set(edge.feature_id, [edge.depends_on])
  }
  const rows = db
    .prepare(
      'SELECT id, name, category, state, attempts, last_verified_at FROM features ORDER BY id',
    )
    .all() as Array<{
    id: number
    name: string
    category: string
    state: Feature['state']
    attempts: number
    last_verified_at: number | null
  }>
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    category: row.category,
    state: row.state,
    attempts: row.attempts,
    dependencies: dependencies.get(row.id) ?? [],
    lastVerifiedAt: row.last_verified_at,
    heldBy: holders.get(row.id) ?? null,
  }))
}

/** A stored list of feature ids (`sessions.feature_ids`), as `z.array(FeatureId)` takes it. */
export const StoredFeatureIdList: ColumnParser<number[]> = {
  safeParse: (value) =>
    Array.isArray(value) &&
    value.every((id: unknown) => Number.isSafeInteger(id) && (id as number) > 0)
      ? { success: true, data: value as number[] }
      : {
          success: false,
          error: {
            issues: [{ path: [], message: 'expected a list of feature ids (positive integers)' }],
          },
        },
}

/** The sessions of run `runId` that have not finished, oldest first. */
function openSessions(db: Db, runId: string): AgentView[] {
  const rows = db
    .prepare(
      `SELECT id, agent_id, role, feature_ids, model, started_at FROM sessions
       WHERE run_id = ? AND finished_at IS NULL ORDER BY started_at`,
    )
    .all(runId) as Array<{
    id: string
    agent_id: string
    role: string
    feature_ids: string
    model: string
    started_at: number
  }>
  return rows.map((row) => ({
    agentId: row.agent_id,
    role: row.role,
    featureIds: readJsonColumn(StoredFeatureIdList, row.feature_ids, {
      table: 'sessions',
      column: 'feature_ids',
      row: `id = '${row.id}'`,
    }),
    model: row.model,
    startedAt: row.started_at,
  }))
}

/** Where the agents of run `runId` run, as its `run.started` said (null: unknown or simulated). */
export function runSandbox(db: Db, runId: string): SandboxKindName | null {
  const row = db
    .prepare(
      `SELECT json_extract(body, '$.sandbox') AS sandbox FROM events
       WHERE type = 'run.started' AND json_extract(body, '$.runId') = ? ORDER BY id DESC LIMIT 1`,
    )
    .get(runId) as { sandbox: unknown } | undefined
  const sandbox = row?.sandbox
  return SANDBOX_KINDS.find((kind) => kind === sandbox) ?? null
}

function lastRunFinished(db: Db): ProjectStatus['lastRun'] {
  const row = db
    .prepare("SELECT id, at, body FROM events WHERE type = 'run.finished' ORDER BY id DESC LIMIT 1")
    .get() as { id: number; at: number; body: string } | undefined
  if (!row) return null
  const body = JSON.parse(row.body) as { runId: string; reason: string; message: string }
  return { runId: body.runId, reason: body.reason, message: body.message, at: row.at }
}
