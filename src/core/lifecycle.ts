import type { Feature, FeatureState } from './feature.js'
import type { CoreErrorCode } from './error-codes.js'
import { err, ok } from './result.js'
import type { AppError, Result } from './result.js'

/**
 * The feature lifecycle: which state may go to which, and who may move it. Every state change in
 * the store (`FeatureRepo.transition`, claims and releases in `ClaimRepo`) is checked against this
 * table; the operations built on it (skip, unskip, answer) live in `src/store/lifecycle.ts`, and
 * the feature tools, the CLI, the server routes and the orchestrator all call those.
 *
 * Who moves a feature:
 * - `holder`: a coding agent holding the feature's claim (its tools, and the claim itself);
 * - `tester`: a testing agent holding a testing claim on the feature;
 * - `operator`: a person (CLI, web UI, the MCP server run by hand, a reference import);
 * - `orchestrator`: the run (claims for agents, merges, releases, attempt limits, recovery).
 */
export type LifecycleActor = 'holder' | 'tester' | 'operator' | 'orchestrator'

type Rule = Readonly<Partial<Record<FeatureState, readonly LifecycleActor[]>>>

const H = 'holder'
const T = 'tester'
const P = 'operator'
const O = 'orchestrator'

/**
 * `TRANSITIONS[from][to]`: the actors that may move a feature from `from` to `to` (a different
 * state; staying in a state, as when an attempt is counted, changes nothing and is always allowed).
 * Only a claim makes a feature `in_progress`; nobody takes a passing feature out of the run.
 */
export const TRANSITIONS: Readonly<Record<FeatureState, Rule>> = {
  pending: {
    in_progress: [H, O],
    passing: [P, O],
    failing: [P, O],
    needs_human: [P, O],
    skipped: [P],
  },
  in_progress: {
    pending: [H, P, O],
    passing: [H, P, O],
    failing: [H, P, O],
    needs_human: [H, P],
    skipped: [H, P],
  },
  failing: {
    in_progress: [H, O],
    pending: [P, O],
    passing: [T, P, O],
    needs_human: [T, P, O],
    skipped: [T, P],
  },
  passing: {
    failing: [T, P],
    needs_human: [T, P],
  },
  needs_human: {
    pending: [P],
    passing: [P, O],
    failing: [P],
    skipped: [P],
  },
  skipped: {
    pending: [P],
    passing: [P],
    failing: [P],
    needs_human: [P],
  },
}

const ACTOR_NAMES: Record<LifecycleActor, string> = {
  holder: 'the agent holding it',
  tester: 'a testing agent holding it',
  operator: 'a person',
  orchestrator: 'the orchestrator',
}

/** True when `actor` may move a feature from `from` to `to` (always when they are the same). */
export function canTransition(
  from: FeatureState,
  to: FeatureState,
  actor: LifecycleActor,
): boolean {
  if (from === to) return true
  return TRANSITIONS[from][to]?.includes(actor) ?? false
}

/** The states `actor` may move a feature in `from` to. */
export function nextStates(from: FeatureState, actor: LifecycleActor): FeatureState[] {
  return (Object.keys(TRANSITIONS[from]) as FeatureState[]).filter((to) =>
    canTransition(from, to, actor),
  )
}

/** An error result unless the table allows the move; the message says what is possible instead. */
export function checkTransition(
  featureId: number,
  from: FeatureState,
  to: FeatureState,
  actor: LifecycleActor,
): Result<void, AppError<Extract<CoreErrorCode, 'TRANSITION_FORBIDDEN'>>> {
  if (canTransition(from, to, actor)) return ok(undefined)
  const possible = nextStates(from, actor)
  const instead =
    possible.length === 0
      ? `${ACTOR_NAMES[actor]} cannot change a ${from} feature`
      : `from ${from}, ${ACTOR_NAMES[actor]} may move it to ${possible.join(' or ')}`
  const who = (Object.keys(ACTOR_NAMES) as LifecycleActor[]).filter(
    (other) => other !== actor && canTransition(from, to, other),
  )
  const only =
    who.length === 0 ? 'nobody may' : `only ${who.map((a) => ACTOR_NAMES[a]).join(' or ')} may`
  return err(
    'TRANSITION_FORBIDDEN',
    `Feature ${featureId} cannot go from ${from} to ${to} by ${ACTOR_NAMES[actor]} (${only}); ${instead}.`,
  )
}

// isDone lives with the bare state names (zod-free, for the CLI's fast start); it belongs here.
export { isDone } from './feature-states.js'

/** How a feature shows on the dependency graph (tools, API and UI use this one order). */
export const GRAPH_STATUSES = [
  'done',
  'skipped',
  'needs_human',
  'blocked',
  'in_progress',
  'failing',
  'pending',
] as const
export type GraphStatus = (typeof GRAPH_STATUSES)[number]

/**
 * A feature's graph status: done (passing), skipped, needs_human, then blocked (a dependency does
 * not pass), then in_progress (its state, or any agent holds it), then its own state.
 */
export function graphStatus(
  feature: Pick<Feature, 'state' | 'dependencies'>,
  context: { isPassing: (id: number) => boolean; isHeld: boolean },
): GraphStatus {
  if (feature.state === 'passing') return 'done'
  if (feature.state === 'skipped' || feature.state === 'needs_human') return feature.state
  if (feature.dependencies.some((dep) => !context.isPassing(dep))) return 'blocked'
  if (context.isHeld || feature.state === 'in_progress') return 'in_progress'
  return feature.state
}

/**
 * What a feature waits for: its dependencies that do not pass. It is `blocked` when it waits for
 * any and does not pass itself (the API's feature view; the board and the graph show it).
 */
export function blockersOf(
  feature: Pick<Feature, 'state' | 'dependencies'>,
  isPassing: (id: number) => boolean,
): { blocked: boolean; blockingDependencies: number[] } {
  const blockingDependencies = feature.dependencies.filter((dep) => !isPassing(dep))
  return {
    blocked: feature.state !== 'passing' && blockingDependencies.length > 0,
    blockingDependencies,
  }
}

/** The graph status of a feature whose blockers and holder are known (the API's feature view). */
export function viewGraphStatus(
  view: Pick<Feature, 'state' | 'dependencies'> & {
    blockingDependencies: readonly number[]
    heldBy: string | null
  },
): GraphStatus {
  return graphStatus(view, {
    isPassing: (dep) => !view.blockingDependencies.includes(dep),
    isHeld: view.heldBy !== null,
  })
}
