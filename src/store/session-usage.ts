// Summed token usage and cost of sessions, without zod: `autocoder status` reads it without repos.
import type { Usage } from '../core/index.js'
import type { Db } from './database.js'

/** Total usage of every session, or of one run's. */
export function usageTotals(db: Db, runId?: string): Usage {
  const row = db
    .prepare(
      `SELECT COALESCE(SUM(input_tokens),0) AS i, COALESCE(SUM(output_tokens),0) AS o, COALESCE(SUM(cache_read_tokens),0) AS r,
              COALESCE(SUM(cache_write_tokens),0) AS w, COALESCE(SUM(cost_usd),0) AS c
       FROM sessions ${runId ? 'WHERE run_id = ?' : ''}`,
    )
    .get(...(runId ? [runId] : [])) as { i: number; o: number; r: number; w: number; c: number }
  return {
    inputTokens: row.i,
    outputTokens: row.o,
    cacheReadTokens: row.r,
    cacheWriteTokens: row.w,
    costUsd: row.c,
  }
}
