import type { SandboxKindName, Usage, Feature, FeatureStats } from '../core/index.js'
import { runSandbox } from '../store/index.js'
import type { HeldClaim, OrchestratorLock, ProjectStore } from '../store/index.js'

export interface AgentView {
  agentId: string
  role: string
  featureIds: number[]
  model: string
  startedAt: number
}

/** What `autocoder status` and the server show, read from the database (no orchestrator needed). */
export interface ProjectStatus {
  /**
   * The orchestrator running this project, if any (a lock whose lease has not run out), and where
   * its agents' code runs (null: simulated agents, or a run from before this was recorded).
   */
  run: (OrchestratorLock & { alive: boolean; sandbox: SandboxKindName | null }) | null
  stats: FeatureStats
  features: Array<
    Pick<
      Feature,
      'id' | 'name' | 'category' | 'state' | 'attempts' | 'dependencies' | 'lastVerifiedAt'
    > & { heldBy: string | null }
  >
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
  store: ProjectStore,
  now: number,
  isAlive: (lock: OrchestratorLock) => boolean = () => true,
): ProjectStatus {
  const lock = store.locks.current()
  const live = lock && lock.leaseUntil > now && isAlive(lock) ? lock : null
  const claims = store.claims.list()
  const holders = new Map(claims.map((claim) => [claim.featureId, claim.agentId]))
  const agents = live
    ? store.sessions
        .list(live.owner)
        .filter((session) => session.finishedAt === null)
        .map(({ agentId, role, featureIds, model, startedAt }) => ({
          agentId,
          role,
          featureIds,
          model,
          startedAt,
        }))
    : []
  const finished = lastRunFinished(store)
  return {
    run: live ? { ...live, alive: true, sandbox: runSandbox(store.db, live.owner) } : null,
    stats: store.features.stats(),
    features: store.features
      .list()
      .sort((a, b) => a.id - b.id)
      .map(({ id, name, category, state, attempts, dependencies, lastVerifiedAt }) => ({
        id,
        name,
        category,
        state,
        attempts,
        dependencies,
        lastVerifiedAt,
        heldBy: holders.get(id) ?? null,
      })),
    claims,
    agents,
    spend: { total: store.sessions.totals(), run: live ? store.sessions.totals(live.owner) : null },
    lastRun: finished,
  }
}

function lastRunFinished(store: ProjectStore): ProjectStatus['lastRun'] {
  const row = store.db
    .prepare("SELECT id, at, body FROM events WHERE type = 'run.finished' ORDER BY id DESC LIMIT 1")
    .get() as { id: number; at: number; body: string } | undefined
  if (!row) return null
  const body = JSON.parse(row.body) as { runId: string; reason: string; message: string }
  return { runId: body.runId, reason: body.reason, message: body.message, at: row.at }
}
