// The attacks through `autocoder run` (the orchestrator) without the OS sandbox (the risk
// accepted): what the command policy alone holds. Classes 2 to 9 are the policy's to close; 11
// the server's token (an agent's curl to the server gets 401); 13 held by the policy too.
import type { AttackClass } from './attack.js'
import { describeAttacks } from './sessions.js'

const HELD: readonly AttackClass[] = [2, 3, 4, 5, 6, 7, 8, 9, 11, 13]

describeAttacks({ agents: 'orchestrated', sandbox: false }, HELD)
