import type { Feature, Result } from '../core/index.js'
import { isDone, ok } from '../core/index.js'
import type { ProjectStore } from '../store/index.js'
import { agentBranch } from '../workspace/index.js'
import type { MergeOutcome } from '../workspace/index.js'
import type { RunningAgent } from './run-types.js'
import type { WorkspacePort } from './workspace-port.js'
import type { OrchestratorError } from './error-codes.js'

/** Who the orchestrator is in events and notes. */
export const ORCHESTRATOR = 'orchestrator'
/** Settings key: the last merge commit whose features were recorded (crash recovery). */
export const LAST_RECORDED_MERGE = 'orchestrator.last_recorded_merge'

const MAX_EVIDENCE_CHARS = 8_000

function tail(text: string): string {
  return text.length <= MAX_EVIDENCE_CHARS ? text : `...${text.slice(-MAX_EVIDENCE_CHARS)}`
}

/**
 * A batch merged and its check passed: each feature becomes `passing` (verified now), keeps the
 * check output, the merge commit and the agent's notes as evidence, and its claim is dropped.
 * One transaction, which also records the merge as handled.
 */
export function recordMerged(
  store: ProjectStore,
  input: {
    agentId: string
    featureIds: readonly number[]
    commit: string
    checkOutput?: string | undefined
    recovered?: boolean
  },
): Result<void, OrchestratorError> {
  return store.atomically(() => {
    for (const id of input.featureIds) {
      const feature = store.features.get(id)
      if (!feature || isDone(feature.state)) continue
      const agentNotes = store.notes
        .list(id)
        .filter((note) => note.author === input.agentId && note.kind !== 'evidence')
        .map((note) => note.text)
      const how = input.recovered ? 'found merged after a restart' : 'merged'
      const check = input.checkOutput === undefined ? 'no check command configured' : 'check passed'
      const text = [
        `Verified: ${how} in ${input.commit} (work of ${input.agentId}); ${check}.`,
        input.checkOutput ? tail(input.checkOutput) : '',
      ]
        .filter((part) => part !== '')
        .join('\n')
      const noted = store.notes.add(id, ORCHESTRATOR, 'evidence', text, {
        commit: input.commit,
        agentId: input.agentId,
        checkOutput: input.checkOutput === undefined ? null : tail(input.checkOutput),
        agentNotes,
      })
      if (!noted.ok) return noted
      const moved = store.features.transition(id, 'passing', {
        by: ORCHESTRATOR,
        actor: 'orchestrator',
        reason: how,
        extra: 'verified',
      })
      if (!moved.ok) return moved
      const holder = store.claims.holder(id)
      if (holder) {
        const released = store.claims.release(id, holder.agentId, 'verified')
        if (!released.ok) return released
      }
    }
    store.settings.set(LAST_RECORDED_MERGE, input.commit)
    return ok(undefined)
  })
}

/** Evidence text and the state a rejected feature returns to. */
function describeRejection(outcome: Exclude<MergeOutcome, { kind: 'merged' }>): {
  text: string
  to: 'pending' | 'failing'
  data: Record<string, unknown>
} {
  switch (outcome.kind) {
    case 'conflict':
      return {
        text: `Not merged: the work conflicts with the project branch in ${outcome.files.join(', ') || 'some files'}. It is redone on the current branch.\n${tail(outcome.detail)}`,
        to: 'pending',
        data: { outcome: 'conflict', files: outcome.files },
      }
    case 'check_failed':
      return {
        text: `Not merged: the check failed on the merged result (exit ${outcome.exitCode ?? 'killed'}).\n${tail(outcome.output)}`,
        to: 'failing',
        data: { outcome: 'check_failed', exitCode: outcome.exitCode, output: tail(outcome.output) },
      }
    case 'error':
      return {
        text: `Not merged: ${outcome.code}: ${outcome.message}`,
        to: 'pending',
        data: { outcome: 'error', code: outcome.code },
      }
  }
}

/**
 * The merge was refused (conflict, failed check, error): each feature keeps the reason as evidence,
 * goes back to `pending` (conflict) or `failing` (check) with one more attempt, and its claim is
 * dropped; at the attempt limit it waits for a person instead. A feature that is done or waits for a
 * person by then (someone skipped or answered it meanwhile) is left as it is.
 */
export function recordRejected(
  store: ProjectStore,
  input: {
    agentId: string
    featureIds: readonly number[]
    outcome: Exclude<MergeOutcome, { kind: 'merged' }>
    maxAttempts: number
  },
): Result<Feature[], OrchestratorError> {
  const rejection = describeRejection(input.outcome)
  return store.atomically(() => {
    const parked: Feature[] = []
    for (const id of input.featureIds) {
      // Taken out of the agent's hands meanwhile (a person skipped, passed or parked it): left as is.
      const state = store.features.get(id)?.state
      if (state === undefined || isDone(state) || state === 'needs_human') continue
      const noted = store.notes.add(id, ORCHESTRATOR, 'evidence', rejection.text, {
        ...rejection.data,
        agentId: input.agentId,
      })
      if (!noted.ok) return noted
      const moved = store.features.transition(id, rejection.to, {
        by: ORCHESTRATOR,
        actor: 'orchestrator',
        reason: `merge ${input.outcome.kind}`,
        extra: 'attempt',
      })
      if (!moved.ok) return moved
      const holder = store.claims.holder(id)
      if (holder) {
        const released = store.claims.release(id, holder.agentId, `merge ${input.outcome.kind}`)
        if (!released.ok) return released
      }
      const limited = parkAtLimit(store, moved.value, input.maxAttempts)
      if (!limited.ok) return limited
      if (limited.value) parked.push(limited.value)
    }
    return ok(parked)
  })
}

/**
 * Releases what an agent still holds when it ends. Unless the run was stopped, each coding
 * feature it did not finish counts one attempt (so a feature that never gets done ends with a
 * person instead of being picked again forever). Testing claims are just released.
 */
export function releaseUnfinished(
  store: ProjectStore,
  agentId: string,
  input: { countAttempt: boolean; maxAttempts: number; reason: string },
): Result<number[], OrchestratorError> {
  return store.atomically(() => {
    const released: number[] = []
    for (const claim of store.claims.heldBy(agentId)) {
      const done = store.claims.release(claim.featureId, agentId, input.reason)
      if (!done.ok) return done
      released.push(claim.featureId)
      if (claim.kind !== 'coding' || !input.countAttempt) continue
      const feature = store.features.get(claim.featureId)
      if (!feature || (feature.state !== 'pending' && feature.state !== 'failing')) continue
      const moved = store.features.transition(feature.id, feature.state, {
        by: ORCHESTRATOR,
        actor: 'orchestrator',
        reason: input.reason,
        extra: 'attempt',
      })
      if (!moved.ok) return moved
      const limited = parkAtLimit(store, moved.value, input.maxAttempts)
      if (!limited.ok) return limited
    }
    return ok(released)
  })
}

/** At the attempt limit a feature goes to `needs_human` with a question saying why. */
function parkAtLimit(
  store: ProjectStore,
  feature: Feature,
  maxAttempts: number,
): Result<Feature | null, OrchestratorError> {
  if (
    feature.attempts < maxAttempts ||
    (feature.state !== 'pending' && feature.state !== 'failing')
  )
    return ok(null)
  const question = `Feature #${feature.id} was attempted ${feature.attempts} times without a verified pass (see the evidence notes). How should it be done, or should it be skipped? Answer with autocoder answer.`
  const noted = store.notes.add(feature.id, ORCHESTRATOR, 'question', question)
  if (!noted.ok) return noted
  return store.features.transition(feature.id, 'needs_human', {
    by: ORCHESTRATOR,
    actor: 'orchestrator',
    reason: `attempt limit ${maxAttempts} reached`,
  })
}

/**
 * Sends an agent's reported passes through the merge queue and records the outcome (events,
 * feature states, evidence); returns the outcome. An `early` merge (the agent still runs: its
 * checkout is left alone) records only a success; after a refusal the features stay reported and
 * the agent's settling decides (see recordRefused).
 */
export async function mergeAndRecord(
  store: ProjectStore,
  workspace: WorkspacePort,
  input: {
    agent: Pick<RunningAgent, 'agentId' | 'role'>
    featureIds: number[]
    maxAttempts: number
    log: (level: 'warn' | 'error', text: string) => void
    early?: boolean
    /** Default: "Implement #3 name, ..." ("Fix" for a testing agent). */
    message?: string
  },
): Promise<MergeOutcome> {
  const { agent, featureIds } = input
  const names = featureIds.map((id) => `#${id} ${store.features.get(id)?.name ?? ''}`.trim())
  store.events.append({
    type: 'merge.queued',
    agentId: agent.agentId,
    featureIds,
    branch: agentBranch(agent.agentId),
  })
  const outcome = await workspace.merge({
    agentId: agent.agentId,
    featureIds,
    message:
      input.message ?? `${agent.role === 'testing' ? 'Fix' : 'Implement'} ${names.join(', ')}`,
    ...(input.early === true ? { leaveWorktree: true } : {}),
  })
  announceOutcome(store, { agentId: agent.agentId, featureIds, outcome, log: input.log })
  if (outcome.kind === 'merged') {
    const recorded = recordMerged(store, {
      agentId: agent.agentId,
      featureIds,
      commit: outcome.commit,
      checkOutput: outcome.checkOutput,
    })
    if (!recorded.ok)
      input.log(
        'error',
        `Merged ${outcome.commit} but could not record it: ${recorded.error.message}`,
      )
  } else if (input.early !== true) {
    recordRefused(store, { ...input, outcome })
  }
  return outcome
}

/** Records a refused merge (see recordRejected); a failure to record it is logged. */
export function recordRefused(
  store: ProjectStore,
  input: {
    agent: Pick<RunningAgent, 'agentId'>
    featureIds: number[]
    outcome: Exclude<MergeOutcome, { kind: 'merged' }>
    maxAttempts: number
    log: (level: 'warn' | 'error', text: string) => void
  },
): void {
  const { agentId } = input.agent
  const rejected = recordRejected(store, { ...input, agentId })
  if (!rejected.ok)
    input.log(
      'error',
      `Could not record the rejected merge of ${agentId}: ${rejected.error.message}`,
    )
}

/** The events of a merge's outcome (an error is logged: it has no event of its own). */
function announceOutcome(
  store: ProjectStore,
  input: {
    agentId: string
    featureIds: number[]
    outcome: MergeOutcome
    log: (level: 'warn' | 'error', text: string) => void
  },
): void {
  const { agentId, featureIds, outcome } = input
  switch (outcome.kind) {
    case 'merged':
      if (outcome.checkOutput !== undefined) {
        const output = outcome.checkOutput.slice(-2000)
        store.events.append({ type: 'check.finished', agentId, featureIds, passed: true, output })
      }
      store.events.append({ type: 'merge.succeeded', agentId, featureIds, commit: outcome.commit })
      return
    case 'conflict':
      store.events.append({ type: 'merge.conflict', agentId, featureIds, files: outcome.files })
      return
    case 'check_failed': {
      const output = outcome.output.slice(-2000)
      store.events.append({ type: 'check.finished', agentId, featureIds, passed: false, output })
      return
    }
    case 'error':
      input.log(
        'error',
        `Merging the work of ${agentId} failed: ${outcome.code}: ${outcome.message}`,
      )
      return
  }
}

/** Records the repository config, hooks and links a check put back (`when`: at which moment). */
export function recordRestored(store: ProjectStore, paths: readonly string[], when: string): void {
  if (paths.length > 0) store.events.append({ type: 'git.restored', paths: [...paths], when })
}
