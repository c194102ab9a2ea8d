// The attacks through `autocoder run` (the orchestrator: a worktree per agent, the merge queue and
// `npm test` as check command, where agent-written tests run) with the OS sandbox asked for.
import type { AttackClass } from './attack.js'
import { describeAttacks } from './sessions.js'

/**
 * Held on main. Not yet (the orchestrator's agents and the merge check run without the sandbox):
 * 1 (init.sh, the merge check), 10 (node), 11 (the server answers), 12, 13 (node reads the key).
 */
const HELD: readonly AttackClass[] = [2, 3, 4, 5, 6, 7, 8, 9]

describeAttacks({ agents: 'orchestrated', sandbox: true }, HELD)
