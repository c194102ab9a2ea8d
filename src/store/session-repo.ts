import { z } from 'zod'

import type { AgentRole, Usage, Clock } from '../core/index.js'
import { FeatureId } from '../core/index.js'
import type { Db } from './database.js'
import { readJsonColumn } from './json-column.js'
import { usageTotals } from './session-usage.js'

export interface SessionRecord {
  id: string
  runId: string | null
  agentId: string
  role: AgentRole
  featureIds: number[]
  model: string
  startedAt: number
  finishedAt: number | null
  outcome: string | null
  usage: Usage
}

interface SessionRow {
  id: string
  run_id: string | null
  agent_id: string
  role: AgentRole
  feature_ids: string
  model: string
  started_at: number
  finished_at: number | null
  outcome: string | null
  input_tokens: number
  output_tokens: number
  cache_read_tokens: number
  cache_write_tokens: number
  cost_usd: number
}

/** Agent sessions with their token usage and cost. */
export class SessionRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  start(
    session: Pick<SessionRecord, 'id' | 'runId' | 'agentId' | 'role' | 'featureIds' | 'model'>,
  ): void {
    this.db
      .prepare(
        'INSERT INTO sessions (id, run_id, agent_id, role, feature_ids, model, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        session.id,
        session.runId,
        session.agentId,
        session.role,
        JSON.stringify(session.featureIds),
        session.model,
        this.clock.now(),
      )
  }

  /** Adds usage to a session (usage arrives in several messages). */
  addUsage(id: string, usage: Usage): void {
    this.db
      .prepare(
        `UPDATE sessions SET input_tokens = input_tokens + ?, output_tokens = output_tokens + ?,
           cache_read_tokens = cache_read_tokens + ?, cache_write_tokens = cache_write_tokens + ?, cost_usd = cost_usd + ?
         WHERE id = ?`,
      )
      .run(
        usage.inputTokens,
        usage.outputTokens,
        usage.cacheReadTokens,
        usage.cacheWriteTokens,
        usage.costUsd,
        id,
      )
  }

  finish(id: string, outcome: string): void {
    this.db
      .prepare('UPDATE sessions SET finished_at = ?, outcome = ? WHERE id = ?')
      .run(this.clock.now(), outcome, id)
  }

  get(id: string): SessionRecord | undefined {
    const row = this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as
      SessionRow | undefined
    return row && toSession(row)
  }

  list(runId?: string): SessionRecord[] {
    const rows = (
      runId
        ? this.db.prepare('SELECT * FROM sessions WHERE run_id = ? ORDER BY started_at').all(runId)
        : this.db.prepare('SELECT * FROM sessions ORDER BY started_at').all()
    ) as SessionRow[]
    return rows.map(toSession)
  }

  /** Total usage, optionally of one run. */
  totals(runId?: string): Usage {
    return usageTotals(this.db, runId)
  }

  /** Cost attributed to a feature: each session's cost split evenly over its features. */
  costOfFeature(featureId: number): number {
    return this.costsByFeature().get(featureId) ?? 0
  }

  /** `costOfFeature` of every feature that has a session, in one pass. */
  costsByFeature(): Map<number, number> {
    const rows = this.db
      .prepare('SELECT feature_ids, cost_usd FROM sessions WHERE cost_usd > 0')
      .all() as Array<{ feature_ids: string; cost_usd: number }>
    const costs = new Map<number, number>()
    for (const row of rows) {
      const ids = featureIdsOf(row)
      for (const id of ids) costs.set(id, (costs.get(id) ?? 0) + row.cost_usd / ids.length)
    }
    return costs
  }
}

const StoredFeatureIds = z.array(FeatureId)

function featureIdsOf(row: { id?: string; feature_ids: string }): number[] {
  return readJsonColumn(StoredFeatureIds, row.feature_ids, {
    table: 'sessions',
    column: 'feature_ids',
    row: row.id === undefined ? 'cost > 0' : `id = '${row.id}'`,
  })
}

function toSession(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    runId: row.run_id,
    agentId: row.agent_id,
    role: row.role,
    featureIds: featureIdsOf(row),
    model: row.model,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    outcome: row.outcome,
    usage: {
      inputTokens: row.input_tokens,
      outputTokens: row.output_tokens,
      cacheReadTokens: row.cache_read_tokens,
      cacheWriteTokens: row.cache_write_tokens,
      costUsd: row.cost_usd,
    },
  }
}
