import type { Clock } from '../core/index.js'
import type {
  ChatKind,
  ChatMessage,
  ChatRole,
  Conversation,
  ConversationSummary,
} from '../core/api/index.js'
import type { Db } from './database.js'

interface ConversationRow {
  id: number
  kind: ChatKind
  title: string
  created_at: number
  updated_at: number
  message_count: number
}

interface MessageRow {
  id: number
  role: ChatRole
  content: string
  created_at: number
}

/** Longest title kept: the start of the first user message. */
const TITLE_CHARS = 50

function toSummary(row: ConversationRow): ConversationSummary {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    messageCount: row.message_count,
  }
}

const SUMMARY_SQL = `SELECT c.id, c.kind, c.title, c.created_at, c.updated_at,
  (SELECT COUNT(*) FROM chat_messages m WHERE m.conversation_id = c.id) AS message_count
  FROM chat_conversations c`

/** Chat conversations (spec, expand, assistant) of one project and their messages. */
export class ChatRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  create(kind: ChatKind, title = ''): ConversationSummary {
    const now = this.clock.now()
    const info = this.db
      .prepare(
        'INSERT INTO chat_conversations (kind, title, created_at, updated_at) VALUES (?, ?, ?, ?)',
      )
      .run(kind, title, now, now)
    return {
      id: Number(info.lastInsertRowid),
      kind,
      title,
      createdAt: now,
      updatedAt: now,
      messageCount: 0,
    }
  }

  /** Conversations of a kind, most recently updated first. */
  list(kind: ChatKind): ConversationSummary[] {
    const rows = this.db
      .prepare(`${SUMMARY_SQL} WHERE c.kind = ? ORDER BY c.updated_at DESC, c.id DESC`)
      .all(kind) as ConversationRow[]
    return rows.map(toSummary)
  }

  summary(kind: ChatKind, id: number): ConversationSummary | undefined {
    const row = this.db.prepare(`${SUMMARY_SQL} WHERE c.kind = ? AND c.id = ?`).get(kind, id) as
      ConversationRow | undefined
    return row ? toSummary(row) : undefined
  }

  get(kind: ChatKind, id: number): Conversation | undefined {
    const summary = this.summary(kind, id)
    return summary ? { ...summary, messages: this.messages(id) } : undefined
  }

  messages(conversationId: number): ChatMessage[] {
    const rows = this.db
      .prepare(
        'SELECT id, role, content, created_at FROM chat_messages WHERE conversation_id = ? ORDER BY id',
      )
      .all(conversationId) as MessageRow[]
    return rows.map((row) => ({
      id: row.id,
      role: row.role,
      content: row.content,
      createdAt: row.created_at,
    }))
  }

  /** Appends a message; the first user message also names an untitled conversation. */
  add(conversationId: number, role: ChatRole, content: string): ChatMessage {
    const now = this.clock.now()
    const info = this.db
      .prepare(
        'INSERT INTO chat_messages (conversation_id, role, content, created_at) VALUES (?, ?, ?, ?)',
      )
      .run(conversationId, role, content, now)
    const title = content.length > TITLE_CHARS ? `${content.slice(0, TITLE_CHARS)}…` : content
    this.db
      .prepare(
        `UPDATE chat_conversations SET updated_at = ?, title = CASE WHEN title = '' AND ? = 'user' THEN ? ELSE title END WHERE id = ?`,
      )
      .run(now, role, title, conversationId)
    return { id: Number(info.lastInsertRowid), role, content, createdAt: now }
  }

  /** Deletes a conversation and its messages; false when there was none. */
  delete(kind: ChatKind, id: number): boolean {
    return (
      this.db.prepare('DELETE FROM chat_conversations WHERE kind = ? AND id = ?').run(kind, id)
        .changes > 0
    )
  }
}
