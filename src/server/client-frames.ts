import type { RawData } from 'ws'
import type { z } from 'zod'

import { err, ok } from '../core/index.js'
import type { Result } from '../core/index.js'
import { describeZodError } from './errors.js'

/** A WebSocket message as text, whatever shape `ws` delivered it in. */
export function rawText(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8')
  return Buffer.isBuffer(raw) ? raw.toString('utf8') : Buffer.from(raw).toString('utf8')
}

/**
 * Parses one client frame of a WebSocket (project feed, terminal, chat) with the socket's schema.
 * Binary frames, text that is not JSON and JSON the schema refuses are `INVALID_INPUT` results that
 * the socket answers with an error frame; `types` names the frame types for that message.
 */
export function parseClientFrame<T>(
  schema: z.ZodType<T>,
  raw: RawData,
  isBinary: boolean,
  types?: string,
): Result<T> {
  let json: unknown
  try {
    json = isBinary ? undefined : (JSON.parse(rawText(raw)) as unknown)
  } catch {
    json = undefined
  }
  if (json === undefined) {
    const named = types === undefined ? '' : ` (${types})`
    return err('INVALID_INPUT', `Frames must be JSON text objects with a "type"${named}.`)
  }
  const frame = schema.safeParse(json)
  return frame.success
    ? ok(frame.data)
    : err('INVALID_INPUT', describeZodError(frame.error, 'frame'))
}
