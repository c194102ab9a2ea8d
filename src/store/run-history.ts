import { z } from 'zod'

import type { Db } from './database.js'
import { readJsonColumn } from './json-column.js'

/** One run of a project as its events tell it. */
export interface RunRecord {
  runId: string
  startedAt: number
  /** null while it runs (or when the process died without finishing it). */
  finishedAt: number | null
  reason: string | null
  message: string | null
  options: Record<string, unknown>
}

const RunOptions = z.record(z.string(), z.unknown())

interface RunEventRow {
  id: number
  at: number
  type: 'run.started' | 'run.finished'
  run_id: string
  reason: string | null
  message: string | null
  options: string | null
}

/** The latest runs of a project, newest first, from their `run.started` and `run.finished` events. */
export function listRuns(db: Db, limit = 50): RunRecord[] {
  const rows = db
    .prepare(
      `SELECT id, at, type, json_extract(body, '$.runId') AS run_id, json_extract(body, '$.reason') AS reason,
              json_extract(body, '$.message') AS message, json_extract(body, '$.options') AS options
       FROM events WHERE type IN ('run.started', 'run.finished') ORDER BY id`,
    )
    .all() as RunEventRow[]
  const runs = new Map<string, RunRecord>()
  for (const row of rows) {
    if (row.type === 'run.started') {
      runs.set(row.run_id, {
        runId: row.run_id,
        startedAt: row.at,
        finishedAt: null,
        reason: null,
        message: null,
        options: row.options
          ? readJsonColumn(RunOptions, row.options, {
              table: 'events',
              column: 'body.options',
              row: `id = ${row.id}`,
            })
          : {},
      })
      continue
    }
    const run = runs.get(row.run_id)
    if (run) Object.assign(run, { finishedAt: row.at, reason: row.reason, message: row.message })
  }
  return [...runs.values()].reverse().slice(0, limit)
}
