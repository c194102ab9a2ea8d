import type { AgentKind, FeatureState, Result, Clock } from '../core/index.js'
import { canTransition, err, ok } from '../core/index.js'
import { transact } from './database.js'
import type { Db } from './database.js'
import type { EventLog } from './event-log.js'
import { notFound } from './feature-repo.js'
import { listClaims, toClaim } from './claim-rows.js'
import type { ClaimRow, HeldClaim } from './claim-rows.js'
import type { StoreError } from './error-codes.js'

export type { HeldClaim } from './claim-rows.js'

/** A claim `claim` took (from nobody, or from `previous` whose lease ran out), for its events. */
interface Taken {
  featureId: number
  previous?: string
  before: FeatureState
  after: FeatureState
}

/**
 * Atomic claims with an owner, a kind and a lease. The primary key on `feature_id` makes a double
 * claim impossible; every multi-row change runs in one IMMEDIATE transaction.
 */
export class ClaimRepo {
  readonly #byFeature
  readonly #byAgent

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly events: EventLog,
  ) {
    this.#byFeature = db.prepare<[number], ClaimRow>('SELECT * FROM claims WHERE feature_id = ?')
    this.#byAgent = db.prepare<[string], ClaimRow>(
      'SELECT * FROM claims WHERE agent_id = ? ORDER BY feature_id',
    )
  }

  list(): HeldClaim[] {
    return listClaims(this.db)
  }

  holder(featureId: number): HeldClaim | undefined {
    const row = this.#byFeature.get(featureId)
    return row ? toClaim(row) : undefined
  }

  heldBy(agentId: string): HeldClaim[] {
    return this.#byAgent.all(agentId).map(toClaim)
  }

  /**
   * Claims every feature in `featureIds` for `agentId`, or none. A coding claim needs a feature that
   * is pending or failing and moves it to `in_progress`; a testing claim needs a passing feature and
   * leaves its state. Expired claims are taken over; a claim the same agent already holds is renewed.
   */
  claim(
    featureIds: readonly number[],
    agentId: string,
    kind: AgentKind,
    leaseMs: number,
  ): Result<HeldClaim[], StoreError> {
    const taken: Taken[] = []
    const result = transact(this.db, (): Result<HeldClaim[], StoreError> => {
      const now = this.clock.now()
      for (const featureId of featureIds) {
        const one = this.#claimOne(featureId, agentId, kind, now, now + leaseMs)
        if (!one.ok) return one
        if (one.value) taken.push(one.value)
      }
      return ok(featureIds.map((id) => toClaim(this.#byFeature.get(id)!)))
    })
    if (result.ok) {
      for (const { featureId, previous, before, after } of taken) {
        if (previous) this.#announceRelease(featureId, previous, 'lease expired', { state: before })
        this.events.append({ type: 'feature.claimed', featureId, agentId, kind, state: after })
      }
    }
    return result
  }

  /**
   * One feature of `claim`, inside its transaction: renews the agent's own claim (nothing taken),
   * or takes a free or expired one (what was taken, for the events).
   */
  #claimOne(
    featureId: number,
    agentId: string,
    kind: AgentKind,
    now: number,
    leaseUntil: number,
  ): Result<Taken | undefined, StoreError> {
    if (!this.#stateOf(featureId)) return notFound(featureId)
    const existing = this.#byFeature.get(featureId)
    if (existing && existing.agent_id === agentId && existing.kind === kind) {
      this.db
        .prepare('UPDATE claims SET lease_until = ? WHERE feature_id = ?')
        .run(leaseUntil, featureId)
      return ok(undefined)
    }
    if (existing && existing.lease_until > now) {
      return err(
        'FEATURE_CLAIMED',
        `Feature ${featureId} is claimed by agent ${existing.agent_id} (${existing.kind}); work on features you were assigned, or call feature_get_ready for work that is free.`,
      )
    }
    if (existing) this.#releaseRow(existing)
    const current = this.#stateOf(featureId)!
    if (kind === 'coding' && !canTransition(current, 'in_progress', 'holder')) {
      return err(
        'INVALID_STATE',
        `Feature ${featureId} is ${current}; only pending or failing features can be claimed for coding.`,
      )
    }
    if (kind === 'testing' && current !== 'passing') {
      return err(
        'INVALID_STATE',
        `Feature ${featureId} is ${current}; only passing features can be claimed for testing.`,
      )
    }
    const prior = current === 'in_progress' ? 'pending' : current
    this.db
      .prepare(
        'INSERT INTO claims (feature_id, agent_id, kind, claimed_at, lease_until, prior_state) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(featureId, agentId, kind, now, leaseUntil, prior)
    if (kind === 'coding') {
      this.db
        .prepare("UPDATE features SET state = 'in_progress', updated_at = ? WHERE id = ?")
        .run(now, featureId)
    }
    const after = kind === 'coding' ? 'in_progress' : current
    return ok(
      existing
        ? { featureId, previous: existing.agent_id, before: current, after }
        : { featureId, before: current, after },
    )
  }

  /** Extends the lease of every claim `agentId` holds; returns how many were renewed. */
  heartbeat(agentId: string, leaseMs: number): number {
    return this.db
      .prepare('UPDATE claims SET lease_until = ? WHERE agent_id = ?')
      .run(this.clock.now() + leaseMs, agentId).changes
  }

  /** Records what the holder reported (a pass the orchestrator must still verify). */
  report(
    featureId: number,
    agentId: string,
    reported: 'passing' | null,
  ): Result<HeldClaim, StoreError> {
    const changes = this.db
      .prepare('UPDATE claims SET reported = ? WHERE feature_id = ? AND agent_id = ?')
      .run(reported, featureId, agentId).changes
    if (changes === 0) return this.#notHeld(featureId, agentId)
    return ok(this.holder(featureId)!)
  }

  /**
   * Releases a claim. `agentId` null means the operator (may release anyone's). A feature still
   * `in_progress` goes back to the state it had before the claim, or to `to` when given.
   */
  release(
    featureId: number,
    agentId: string | null,
    reason: string,
    to?: FeatureState,
  ): Result<void, StoreError> {
    const result = transact(this.db, (): Result<ClaimRow, StoreError> => {
      const row = this.#byFeature.get(featureId)
      if (!row || (agentId !== null && row.agent_id !== agentId))
        return this.#notHeld(featureId, agentId)
      this.#releaseRow(row, to)
      return ok(row)
    })
    if (!result.ok) return result
    this.#announceRelease(featureId, result.value.agent_id, reason)
    return ok(undefined)
  }

  /** Releases everything an agent holds (it finished or died); returns the released feature ids. */
  releaseAgent(agentId: string, reason: string): number[] {
    const rows = this.db
      .transaction(() => {
        const held = this.#byAgent.all(agentId)
        for (const row of held) this.#releaseRow(row)
        return held
      })
      .immediate()
    for (const row of rows) this.#announceRelease(row.feature_id, agentId, reason)
    return rows.map((row) => row.feature_id)
  }

  /** Releases every claim whose lease has run out; returns what was released. */
  reclaimExpired(): HeldClaim[] {
    const rows = this.db
      .transaction(() => {
        const expired = this.db
          .prepare('SELECT * FROM claims WHERE lease_until <= ?')
          .all(this.clock.now()) as ClaimRow[]
        for (const row of expired) this.#releaseRow(row)
        return expired
      })
      .immediate()
    for (const row of rows) this.#announceRelease(row.feature_id, row.agent_id, 'lease expired')
    return rows.map(toClaim)
  }

  #stateOf(featureId: number): FeatureState | undefined {
    return this.db.prepare('SELECT state FROM features WHERE id = ?').pluck().get(featureId) as
      FeatureState | undefined
  }

  /**
   * Appends `feature.released` with the feature's state now (a release may restore an earlier
   * state) unless the caller knows the state to report.
   */
  #announceRelease(
    featureId: number,
    agentId: string,
    reason: string,
    state: { state?: FeatureState } = this.#stateAfter(featureId),
  ): void {
    this.events.append({ type: 'feature.released', featureId, agentId, reason, ...state })
  }

  #stateAfter(featureId: number): { state?: FeatureState } {
    const state = this.#stateOf(featureId)
    return state === undefined ? {} : { state }
  }

  /** Drops a claim row and, if the feature is still in progress, restores its earlier state. */
  #releaseRow(row: ClaimRow, to?: FeatureState): void {
    this.db.prepare('DELETE FROM claims WHERE feature_id = ?').run(row.feature_id)
    const target = to ?? row.prior_state
    this.db
      .prepare(
        "UPDATE features SET state = ?, updated_at = ? WHERE id = ? AND (state = 'in_progress' OR ? IS NOT NULL)",
      )
      .run(target, this.clock.now(), row.feature_id, to ?? null)
  }

  #notHeld(featureId: number, agentId: string | null): Result<never, StoreError> {
    const row = this.#byFeature.get(featureId)
    if (!row)
      return err('NOT_CLAIMED', `Feature ${featureId} is not claimed by anyone; claim it first.`)
    return err(
      'FEATURE_CLAIMED',
      `Feature ${featureId} is claimed by agent ${row.agent_id}, not ${agentId ?? 'the operator'}; only the holder may do this.`,
    )
  }
}
