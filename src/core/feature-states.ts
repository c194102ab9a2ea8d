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
