// Attacks that are not an agent's Bash command (the server from a local client, files at rest, the
// MCP stdio server): each is run directly and says whether it was contained.
import type { AttackClass } from '../attack.js'

export interface DirectOutcome {
  readonly id: string
  readonly cls: AttackClass
  readonly contained: boolean
  /** What was tried and what came back. */
  readonly detail: string
}
