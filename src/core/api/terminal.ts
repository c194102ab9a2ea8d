import { z } from 'zod'

/** Terminal ids are random (128 bits, base64url) so they cannot be guessed. */
export const TerminalId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be a terminal id')
export const TerminalName = z.string().trim().min(1).max(100)

export const TerminalInfo = z.object({
  id: TerminalId,
  name: z.string(),
  createdAt: z.number(),
  running: z.boolean(),
})
export type TerminalInfo = z.infer<typeof TerminalInfo>

export const TerminalCreateBody = z.object({ name: TerminalName.optional() })
export const TerminalRenameBody = z.object({ name: TerminalName })

/** Largest `input` frame accepted, base64-encoded. */
export const MAX_TERMINAL_INPUT_BASE64 = 64 * 1024

/** Client → server frames on `/api/terminal/ws/:project/:terminalId`. The first `resize` starts the PTY. */
export const TerminalClientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('input'), data: z.base64().max(MAX_TERMINAL_INPUT_BASE64) }),
  z.object({
    type: z.literal('resize'),
    cols: z.number().int().min(1).max(10_000),
    rows: z.number().int().min(1).max(10_000),
  }),
  z.object({ type: z.literal('ping') }),
])
export type TerminalClientFrame = z.infer<typeof TerminalClientFrame>

/** Server → client frames. */
export const TerminalServerFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('output'), data: z.string() }),
  z.object({ type: z.literal('exit'), code: z.number().int() }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
  z.object({ type: z.literal('pong') }),
])
export type TerminalServerFrame = z.infer<typeof TerminalServerFrame>
