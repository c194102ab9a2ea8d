// The attacks through `autocoder run` (the orchestrator) without the OS sandbox (the risk
// accepted): what the command policy alone holds. Classes 2 to 9 are the policy's to close; 11 the
// server's token (an agent's curl to the server gets 401); 12 and 13 held by the policy too. Not: 1
// and 10 (init.sh, the merge check, node running the agent's own file: only the sandbox contains
// them).
import type { AttackClass } from './attack.js'
import { describeAttacks } from './sessions.js'

const HELD: readonly AttackClass[] = [2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13]

describeAttacks({ agents: 'orchestrated', sandbox: false }, HELD)
