import type { AgentRunResult } from '../agents/index.js'
import type { ProjectStore } from '../store/index.js'
import type { MergeOutcome } from '../workspace/index.js'
import type { RunningAgent } from './run-types.js'
import { mergeAndRecord, recordMerged, recordRefused, releaseUnfinished } from './settle.js'
import type { WorkspacePort } from './workspace-port.js'

/**
 * What an agent's end says about the run's health: the initializer's end says nothing, a merge,
 * a stop or any outcome but `error` breaks a row of errors, an error counts in it.
 */
export type AgentEnd =
  { kind: 'initializer' } | { kind: 'fine' } | { kind: 'error'; message: string }

export interface SettleInput {
  agent: RunningAgent
  /** Null when the agent never ran (stopped before its sessions). */
  result: AgentRunResult | null
  maxAttempts: number
  log: (level: 'warn' | 'error', text: string) => void
}

/**
 * Settles an agent that ended: its reported passes go through the merge queue (the initializer's
 * scaffold unchecked), and what it still holds is released, counting an attempt unless the run
 * stopped or the agent was interrupted.
 */
export async function settleAgent(
  store: ProjectStore,
  workspace: WorkspacePort,
  input: SettleInput,
): Promise<AgentEnd> {
  const { agent, result, maxAttempts } = input
  const stopped = agent.controller.signal.aborted || result === null
  if (agent.role === 'initializer') {
    if (!stopped) await mergeScaffold(store, workspace, input)
    return { kind: 'initializer' }
  }
  // A merge that began before the session ended finishes first: it decides what is still held.
  await agent.early?.done
  let merged = agent.early?.outcome?.kind === 'merged'
  if (!stopped) {
    const reported = store.claims
      .heldBy(agent.agentId)
      .filter((claim) => claim.reported === 'passing')
      .map((claim) => claim.featureId)
    if (reported.length > 0) {
      const merge = { agent, featureIds: reported, maxAttempts, log: input.log }
      const refused = await earlyRefusalStands(workspace, agent)
      if (refused) recordRefused(store, { ...merge, outcome: refused })
      else merged = (await mergeAndRecord(store, workspace, merge)).kind === 'merged'
    } else if (merged) {
      await mergeLaterWork(store, workspace, input)
    }
  }
  // An agent that could not be set up (its sandbox did not start: no session ran) did not try.
  const tried =
    result?.outcome !== 'interrupted' && !(result?.outcome === 'error' && result.iterations === 0)
  releaseUnfinished(store, agent.agentId, {
    countAttempt: !stopped && tried,
    maxAttempts,
    reason: stopped ? 'run stopped' : `agent ${result?.outcome ?? 'ended'}`,
  })
  if (merged || stopped || result?.outcome !== 'error') return { kind: 'fine' }
  return { kind: 'error', message: result.message }
}

/**
 * The refusal of an early merge (a conflict or a failed check, not an error that may pass), when
 * the agent has changed nothing since (same commit, nothing uncommitted): merging again would only
 * repeat it; null otherwise.
 */
async function earlyRefusalStands(
  workspace: WorkspacePort,
  agent: RunningAgent,
): Promise<Exclude<MergeOutcome, { kind: 'merged' }> | null> {
  const outcome = agent.early?.outcome
  const head = agent.early?.head ?? null
  if (!outcome || outcome.kind === 'merged' || outcome.kind === 'error' || head === null)
    return null
  const now = await workspace.pendingWork(agent.agentId)
  return !now.uncommitted && now.head === head ? outcome : null
}

/**
 * After an early merge: what the agent committed or left uncommitted since then merges too (with
 * the check); with nothing new, nothing is merged.
 */
async function mergeLaterWork(
  store: ProjectStore,
  workspace: WorkspacePort,
  input: SettleInput,
): Promise<void> {
  const { agent } = input
  const pending = await workspace.pendingWork(agent.agentId)
  if (!pending.uncommitted && !pending.unmerged) return
  const { kind } = await mergeAndRecord(store, workspace, {
    agent,
    featureIds: [],
    maxAttempts: input.maxAttempts,
    log: input.log,
    message: `Later work of ${agent.agentId} on ${agent.featureIds.map((id) => `#${id}`).join(', ')}`,
  })
  if (kind !== 'merged')
    input.log(
      'warn',
      `What ${agent.agentId} did after its features merged was not merged (see the merge events); its features stay passing.`,
    )
}

/** The initializer's scaffold is merged without the check; its features exist either way. */
async function mergeScaffold(
  store: ProjectStore,
  workspace: WorkspacePort,
  input: SettleInput,
): Promise<void> {
  const { agentId } = input.agent
  const merged = await workspace.merge({
    agentId,
    featureIds: [],
    message: 'Project scaffold by the initializer',
    unchecked: true,
  })
  if (merged.kind === 'merged')
    recordMerged(store, { agentId, featureIds: [], commit: merged.commit })
  else
    input.log(
      'warn',
      `The initializer's work was not merged (${merged.kind}); features were created anyway.`,
    )
}
