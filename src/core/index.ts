export { assertNever, err, ok, unwrap } from './result.js'
export type { AppError, Result } from './result.js'
export { systemClock } from './clock.js'
export type { Clock } from './clock.js'
