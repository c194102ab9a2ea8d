// The feature limits and defaults on their own, without zod, for code that must start fast (the
// planner behind `autocoder plan`). feature.ts re-exports them.
/** Hard limits shared by validation, tools, REST and the UI. */
export const MAX_DEPENDENCIES = 20
export const MAX_CATEGORY_LENGTH = 100
export const MAX_NAME_LENGTH = 255
export const MAX_DESCRIPTION_LENGTH = 20_000
export const MAX_STEP_LENGTH = 2_000
export const MAX_STEPS = 100
/** Priority given to a feature that has none (the reference's default). */
export const DEFAULT_PRIORITY = 999
