import { z } from 'zod'

export const HealthResponse = z.object({ status: z.literal('ok'), version: z.string() })
export type HealthResponse = z.infer<typeof HealthResponse>

/** Where a credential for the model API was found; never the secret itself. */
export const CredentialSource = z.enum([
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'ANTHROPIC_BASE_URL',
  'claude_login',
])
export type CredentialSource = z.infer<typeof CredentialSource>

const Tool = z.object({ present: z.boolean(), version: z.string().nullable() })

export const SetupStatus = z.object({
  claudeCli: z.object({ present: z.boolean(), source: z.enum(['sdk', 'path']).nullable() }),
  credentials: z.object({ present: z.boolean(), sources: z.array(CredentialSource) }),
  git: Tool,
  node: Tool,
  npm: Tool,
  /** True when everything needed for a run is there. */
  ready: z.boolean(),
})
export type SetupStatus = z.infer<typeof SetupStatus>
