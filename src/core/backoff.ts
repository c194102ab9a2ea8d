/**
 * The reference's retry formulas, in seconds. Randomness is injected (a function returning [0, 1)).
 */

export const MAX_RETRY_AFTER_SECONDS = 3600
export const AUTO_CONTINUE_DELAY_SECONDS = 3

/** A server-provided retry-after, clamped to 1..3600 s. */
export function clampRetryAfter(seconds: number): number {
  return Math.min(Math.max(seconds, 1), MAX_RETRY_AFTER_SECONDS)
}

/**
 * Rate-limit backoff for the r-th consecutive rate limit (0-based): 15·2^r s capped to 1..3600,
 * plus uniform jitter of 0-30 % of that, truncated to whole seconds (15-19, 30-39, 60-78, ...).
 */
export function rateLimitBackoff(retry: number, random: () => number): number {
  const base = Math.min(Math.max(15 * 2 ** retry, 1), MAX_RETRY_AFTER_SECONDS)
  return Math.trunc(base + random() * 0.3 * base)
}

/** Error backoff for the n-th consecutive error (1-based): 30·n s capped to 1..300. */
export function errorBackoff(consecutiveErrors: number): number {
  return Math.min(Math.max(30 * consecutiveErrors, 1), 300)
}
