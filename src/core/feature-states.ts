// The feature states on their own, without zod, for code that must start fast (the CLI's help).
/** The values of the one feature state enum (`FeatureState` in feature.ts says what each means). */
export const FEATURE_STATES = [
  'pending',
  'in_progress',
  'passing',
  'failing',
  'needs_human',
  'skipped',
] as const

/** Done for the run: it passes or was taken out of it. A run ends when every feature is done. */
export function isDone(state: (typeof FEATURE_STATES)[number]): boolean {
  return state === 'passing' || state === 'skipped'
}
