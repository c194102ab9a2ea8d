// Every attack an agent makes through Bash, by class (classes 11, 13 and 14 also have direct tests).
import type { AttackClass, BashAttack } from '../attack.js'
import { mainModeAttacks } from './c01-main-mode.js'
import { parserAttacks } from './c02-parser.js'
import { arithmeticAttacks } from './c03-arithmetic.js'
import { computedOptionAttacks } from './c04-computed-options.js'
import { functionAttacks } from './c05-functions.js'
import { shellOptionAttacks } from './c06-shell-options.js'
import { gitAttacks } from './c07-git.js'
import { xargsEnvironmentAttacks } from './c08-xargs-env.js'
import { symlinkAttacks } from './c09-symlinks.js'
import { programRunnerAttacks } from './c10-program-runners.js'
import { serverAttacks } from './c11-server.js'
import { killCredentialExfiltrationAttacks } from './c12-kills-credentials-exfiltration.js'
import { secretsAtRestAttacks } from './c13-secrets-at-rest.js'

export const BASH_ATTACKS: readonly BashAttack[] = [
  ...mainModeAttacks,
  ...parserAttacks,
  ...arithmeticAttacks,
  ...computedOptionAttacks,
  ...functionAttacks,
  ...shellOptionAttacks,
  ...gitAttacks,
  ...xargsEnvironmentAttacks,
  ...symlinkAttacks,
  ...programRunnerAttacks,
  ...serverAttacks,
  ...killCredentialExfiltrationAttacks,
  ...secretsAtRestAttacks,
]

/** The classes that have Bash attacks, in order. */
export const BASH_CLASSES: readonly AttackClass[] = [
  ...new Set(BASH_ATTACKS.map((attack) => attack.cls)),
].sort((a, b) => a - b)

export function attacksOf(classes: readonly AttackClass[]): BashAttack[] {
  return BASH_ATTACKS.filter((attack) => classes.includes(attack.cls))
}
