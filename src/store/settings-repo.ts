import type { Clock } from '../core/index.js'
import { z } from 'zod'

import type { Db } from './database.js'
import { readJsonColumn } from './json-column.js'

/**
 * A setting's stored JSON. Any JSON value: each setting's own schema is applied by its reader
 * (`ProjectSettings` in core/api); here only a value that is not JSON at all is refused.
 */
function valueOf(key: string, text: string): unknown {
  return readJsonColumn(z.unknown(), text, {
    table: 'settings',
    column: 'value',
    row: `key = ${JSON.stringify(key)}`,
  })
}

/** JSON key/value settings (per project here, global in the registry). */
export class SettingsRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  get(key: string): unknown {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
      { value: string } | undefined
    return row ? valueOf(key, row.value) : undefined
  }

  all(): Record<string, unknown> {
    const rows = this.db.prepare('SELECT key, value FROM settings ORDER BY key').all() as Array<{
      key: string
      value: string
    }>
    return Object.fromEntries(rows.map((row) => [row.key, valueOf(row.key, row.value)]))
  }

  set(key: string, value: unknown): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      )
      .run(key, JSON.stringify(value), this.clock.now())
  }

  delete(key: string): void {
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(key)
  }
}
