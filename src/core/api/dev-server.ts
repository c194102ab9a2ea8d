import { z } from 'zod'

export const DevServerState = z.enum(['stopped', 'running', 'crashed'])
export type DevServerState = z.infer<typeof DevServerState>

/** A command as argv: run without a shell. */
export const CommandArgv = z.array(z.string().min(1).max(1000)).min(1).max(50)

export const DevServerStatus = z.object({
  project: z.string(),
  state: DevServerState,
  pid: z.number().int().nullable(),
  url: z.string().nullable(),
  command: CommandArgv.nullable(),
  startedAt: z.number().nullable(),
  exitCode: z.number().int().nullable(),
})
export type DevServerStatus = z.infer<typeof DevServerStatus>

export const DevServerStartBody = z.object({ command: CommandArgv.optional() })

/** Pushed to subscribers (the project WebSocket forwards them). */
export const DevServerEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('dev.log'), project: z.string(), line: z.string(), at: z.number() }),
  z.object({ type: z.literal('dev.status'), status: DevServerStatus, at: z.number() }),
])
export type DevServerEvent = z.infer<typeof DevServerEvent>
