import { z } from 'zod'

/** The one error envelope of every HTTP error response and WebSocket `error` frame. */
export const ApiErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
  }),
})
export type ApiErrorBody = z.infer<typeof ApiErrorBody>

/** Query-string booleans: `true`/`false`/`1`/`0` (query values always arrive as strings). */
export const QueryBoolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1')
