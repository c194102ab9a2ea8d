// The attacks through `autocoder run --agent coding` with the OS sandbox: the real claude binary
// driven by the scripted model, the project's real security hook and sandbox, a canary folder
// outside the project and canary credentials in a fake home (see README.md).
import type { AttackClass } from './attack.js'
import { describeAttacks } from './sessions.js'

/** Held on main. Not yet: 12 (`git ls-remote` reaches a host outside). */
const HELD: readonly AttackClass[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13]

describeAttacks({ agents: 'single', sandbox: true }, HELD)
