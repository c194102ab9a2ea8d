// Claim rows and their mapping, without zod: `autocoder status` lists claims without the repos.
import type { AgentKind, Claim, FeatureState } from '../core/index.js'
import type { Db } from './database.js'

export interface ClaimRow {
  feature_id: number
  agent_id: string
  kind: AgentKind
  claimed_at: number
  lease_until: number
  prior_state: FeatureState
  reported: string | null
}

export interface HeldClaim extends Claim {
  /** What the agent reported (`passing`) and the orchestrator has not verified yet. */
  reported: 'passing' | null
}

export function toClaim(row: ClaimRow): HeldClaim {
  return {
    featureId: row.feature_id,
    agentId: row.agent_id,
    kind: row.kind,
    claimedAt: row.claimed_at,
    leaseUntil: row.lease_until,
    reported: row.reported === 'passing' ? 'passing' : null,
  }
}

/** Every claim, expired or not, by feature id. */
export function listClaims(db: Db): HeldClaim[] {
  return (db.prepare('SELECT * FROM claims ORDER BY feature_id').all() as ClaimRow[]).map(toClaim)
}
