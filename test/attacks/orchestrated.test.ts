// The attacks through `autocoder run` (the orchestrator: a worktree per agent, the merge queue and
// `npm test` as check command, where agent-written tests run) with the OS sandbox.
import type { AttackClass } from './attack.js'
import { describeAttacks } from './sessions.js'

/**
 * Held on main: every class with Bash attacks. Class 1 brings the merge check attack along (the
 * agent's tests, run by the merge check, try to write outside, read the key and call the server).
 */
const HELD: readonly AttackClass[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]

describeAttacks({ agents: 'orchestrated', sandbox: true }, HELD)
