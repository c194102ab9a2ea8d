// The attacks through `autocoder run --agent coding` with the OS sandbox: the real claude binary
// driven by the scripted model, the project's real security hook and sandbox, a canary folder
// outside the project and canary credentials in a fake home (see README.md).
import type { AttackClass } from './attack.js'
import { describeAttacks } from './sessions.js'

/** Held on main: every class with Bash attacks. */
const HELD: readonly AttackClass[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]

describeAttacks({ agents: 'single', sandbox: true }, HELD)
