import { z } from 'zod'

/** Input fields shared by several tools (same names and bounds as the reference). */
export const featureIdParam = z
  .number()
  .int()
  .min(1)
  .describe('The id of the feature (an integer >= 1).')

export const limitParam = (max: number, fallback: number) =>
  z
    .number()
    .int()
    .min(1)
    .max(max)
    .default(fallback)
    .describe(`How many to return, 1-${max} (default ${fallback}).`)
