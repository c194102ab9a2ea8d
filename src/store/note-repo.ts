import { FeatureNote, ok } from '../core/index.js'
import type { NoteKind, Result, Clock } from '../core/index.js'
import type { Db } from './database.js'
import type { EventLog } from './event-log.js'
import { readJsonColumn } from './json-column.js'
import { notFound } from './feature-repo.js'
import type { StoreError } from './error-codes.js'

const NoteData = FeatureNote.shape.data.unwrap()

interface NoteRow {
  id: number
  feature_id: number
  author: string
  kind: NoteKind
  text: string
  data: string | null
  created_at: number
}

/** Notes, evidence, questions and answers kept on features. */
export class NoteRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly events: EventLog,
  ) {}

  add(
    featureId: number,
    author: string,
    kind: NoteKind,
    text: string,
    data?: Record<string, unknown>,
  ): Result<FeatureNote, StoreError> {
    const exists = this.db.prepare('SELECT 1 FROM features WHERE id = ?').get(featureId)
    if (!exists) return notFound(featureId)
    const row = this.db
      .prepare(
        'INSERT INTO notes (feature_id, author, kind, text, data, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *',
      )
      .get(
        featureId,
        author,
        kind,
        text,
        data ? JSON.stringify(data) : null,
        this.clock.now(),
      ) as NoteRow
    this.events.append({ type: 'feature.note', featureId, author, kind })
    return ok(toNote(row))
  }

  /** Notes of a feature, oldest first (optionally only some kinds). */
  list(featureId: number, kinds?: readonly NoteKind[]): FeatureNote[] {
    const rows = this.db
      .prepare('SELECT * FROM notes WHERE feature_id = ? ORDER BY id')
      .all(featureId) as NoteRow[]
    return rows.map(toNote).filter((note) => !kinds || kinds.includes(note.kind))
  }

  /** The newest note of a kind on a feature, if any. */
  latest(featureId: number, kind: NoteKind): FeatureNote | undefined {
    const row = this.db
      .prepare('SELECT * FROM notes WHERE feature_id = ? AND kind = ? ORDER BY id DESC LIMIT 1')
      .get(featureId, kind) as NoteRow | undefined
    return row ? toNote(row) : undefined
  }
}

function toNote(row: NoteRow): FeatureNote {
  return {
    id: row.id,
    featureId: row.feature_id,
    author: row.author,
    kind: row.kind,
    text: row.text,
    data:
      row.data === null
        ? null
        : readJsonColumn(NoteData, row.data, {
            table: 'notes',
            column: 'data',
            row: `id = ${row.id}`,
          }),
    createdAt: row.created_at,
  }
}
