// The feature states on their own, without zod, for code that must start fast (the CLI's help,
// `autocoder status`).
/** The values of the one feature state enum (`FeatureState` in feature.ts says what each means). */
export const FEATURE_STATES = [
  'pending',
  'in_progress',
  'passing',
  'failing',
  'needs_human',
  'skipped',
] as const

type FeatureStateName = (typeof FEATURE_STATES)[number]

/** Done for the run: it passes or was taken out of it. A run ends when every feature is done. */
export function isDone(state: FeatureStateName): boolean {
  return state === 'passing' || state === 'skipped'
}

export interface FeatureStats {
  total: number
  passing: number
  inProgress: number
  failing: number
  needsHuman: number
  skipped: number
  pending: number
  /** passing / total in percent, one decimal (0 when there are no features). */
  percentage: number
}

/** How many features are in each state, and the share that passes. */
export function computeStats(states: readonly FeatureStateName[]): FeatureStats {
  const counts: Record<FeatureStateName, number> = {
    pending: 0,
    in_progress: 0,
    passing: 0,
    failing: 0,
    needs_human: 0,
    skipped: 0,
  }
  for (const state of states) counts[state]++
  const total = states.length
  return {
    total,
    passing: counts.passing,
    inProgress: counts.in_progress,
    failing: counts.failing,
    needsHuman: counts.needs_human,
    skipped: counts.skipped,
    pending: counts.pending,
    percentage: total === 0 ? 0 : Math.round((counts.passing / total) * 1000) / 10,
  }
}
