/** Expected failures are values: `Result` carries either a value or an `AppError` with a code. */
export type Result<T, E extends AppError = AppError> =
  { ok: true; value: T } | { ok: false; error: E }

/**
 * An expected failure. `message` says what happened, names the value involved and what to do next;
 * it is shown to people and models as it is.
 */
export interface AppError<C extends string = string> {
  code: C
  message: string
  cause?: unknown
}

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value }
}

export function err<C extends string>(
  code: C,
  message: string,
  cause?: unknown,
): { ok: false; error: AppError<C> } {
  return { ok: false, error: cause === undefined ? { code, message } : { code, message, cause } }
}

/** Unwraps a result or throws: for code paths where a failure is a bug, not an expected outcome. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value
  throw new Error(`${result.error.code}: ${result.error.message}`, { cause: result.error.cause })
}

/** For exhaustive switches over discriminated unions. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`)
}
