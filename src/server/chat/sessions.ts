import type { ChatKind, ChatSessionInfo } from '../../core/api/index.js'
import type { ChatSession } from './session.js'

/** The live chat sessions of the server, one per WebSocket, by session id. */
export class ChatSessions {
  readonly #sessions = new Map<
    string,
    { kind: ChatKind; project: string; session: ChatSession; disconnect: () => void }
  >()

  add(
    sessionId: string,
    entry: { kind: ChatKind; project: string; session: ChatSession; disconnect: () => void },
  ): void {
    this.#sessions.set(sessionId, entry)
  }

  remove(sessionId: string): void {
    this.#sessions.delete(sessionId)
  }

  list(kind: ChatKind, project?: string): ChatSessionInfo[] {
    return [...this.#sessions.values()]
      .filter(
        (entry) => entry.kind === kind && (project === undefined || entry.project === project),
      )
      .map((entry) => entry.session.info())
  }

  /** Closes one session and its socket; false when there is none of that kind and project. */
  close(kind: ChatKind, project: string, sessionId: string): boolean {
    const entry = this.#sessions.get(sessionId)
    if (!entry || entry.kind !== kind || entry.project !== project) return false
    this.#sessions.delete(sessionId)
    entry.session.close()
    entry.disconnect()
    return true
  }

  /** Server shutdown: every model turn stops and every chat socket closes. */
  closeAll(): void {
    for (const [id, entry] of this.#sessions) {
      this.#sessions.delete(id)
      entry.session.close()
      entry.disconnect()
    }
  }

  get size(): number {
    return this.#sessions.size
  }
}
