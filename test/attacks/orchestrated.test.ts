// The attacks through `autocoder run` (the orchestrator: a worktree per agent, the merge queue and
// `npm test` as check command, where agent-written tests run) with the OS sandbox asked for.
import type { AttackClass } from './attack.js'
import { describeAttacks } from './sessions.js'

/**
 * Held on main. Not yet: 1 (the merge check runs the agent's tests without the sandbox: they write
 * outside, read the key and reach a host outside; class 1 brings the merge check attack along).
 */
const HELD: readonly AttackClass[] = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]

describeAttacks({ agents: 'orchestrated', sandbox: true }, HELD)
