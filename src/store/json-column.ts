import type { z } from 'zod'

/**
 * A stored value that does not parse: the database was edited by hand or damaged. Thrown (not
 * returned) because every value autocoder writes parses; the message names the table, the column
 * and the row so a person can repair or delete it.
 */
export class CorruptValueError extends Error {
  readonly code = 'CORRUPT_VALUE'

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CorruptValueError'
  }
}

/** Where a stored JSON value lives: `features.steps` of the row with `id = 3`. */
export interface ColumnPlace {
  table: string
  column: string
  /** The row's key, as `id = 3` or `key = 'yolo'`. */
  row: string
}

function shorten(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text)
}

/**
 * What reading a column needs of its schema: a zod schema, or a hand-written check of the same
 * shape where loading zod would cost too much (`autocoder status`).
 */
export interface ColumnParser<T> {
  safeParse(value: unknown):
    | { success: true; data: T }
    | {
        success: false
        error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }
      }
}

/** Parses a JSON text column with its schema; a bad value throws a `CorruptValueError` naming it. */
export function readJsonColumn<T>(
  schema: z.ZodType<T> | ColumnParser<T>,
  text: string,
  place: ColumnPlace,
): T {
  const where = `${place.table}.${place.column} of the row with ${place.row}`
  const fix = `repair or delete that row (sqlite3 .autocoder/autocoder.db), or restore a backup`
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    throw new CorruptValueError(`${where} is not JSON: ${shorten(text)}; ${fix}.`, { cause })
  }
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const at = issue?.path.length ? ` at ${issue.path.map(String).join('.')}` : ''
  throw new CorruptValueError(
    `${where} has an unexpected value${at} (${issue?.message ?? 'wrong shape'}): ${shorten(text)}; ${fix}.`,
    { cause: parsed.error },
  )
}
