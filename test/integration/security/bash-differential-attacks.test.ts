import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { decideBash } from '../../../src/security/index.js'
import { readCorpus } from '../../unit/security/policy-fixture.js'
import { skipReason } from '../sandbox/helpers.js'

import {
  CANARIES,
  createDifferentialSandbox,
  type DifferentialSandbox,
} from './differential-sandbox.js'

// The attack classes of issue 11 against real bash (and dash for sh -c): commands close to an
// attack that the policy allows must run no canary, and no mutation of an attack that the policy
// allows may run one. Canary commands (`id`, `sudo`, `evil`) log when they run.
let box: DifferentialSandbox

beforeAll(async () => {
  box = await createDifferentialSandbox()
})

afterAll(() => box[Symbol.dispose]())

/**
 * Allowed on purpose: each stands next to an attack of its class, and the claim that it is safe
 * (the builtin or context does not evaluate the text) is checked by running it.
 */
const NEAR_ATTACKS = [
  // 2: quoted here-documents keep their body; plain $name expands nothing else
  "cat <<'EOF'\n$(id)\n`id`\nEOF",
  "cat <<-'EOF'\n\t$(id)\n\tEOF",
  'cat <<EOF\n$HOME ${PWD}\nEOF',
  "sh -c 'echo ok; ls'",
  // unquoted, the single quotes inside ${x:-…} quote; in "…" a plain default is only text
  "echo ${x:-'$(id)'} ${x:-'`id`'}",
  'echo "${x:-\'default value\'}"',
  'echo `echo ok`',
  // 3: [ ] is the test builtin (no arithmetic), printf and exit take the text as data
  'x=\'a[$(id)]\'; [ "$x" -eq 0 ]',
  'x=\'a[$(id)]\'; test "$x" -lt 1',
  "printf '%d' 'a[$(id)]'",
  "printf -v y '%s' 'a[$(id)]'; echo \"$y\"",
  'x=\'a[$(id)]\'; echo "${#x}" "${x:0:1}"',
  '[[ 1 -eq 1 ]] && echo one',
  'sleep 0 & wait $!',
  "exit 'a[$(id)]'",
  // 4 and 5: computed words where they are data
  'x=\'$(id)\'; echo "$x" $x',
  "f() { echo \"$@\"; }; f '$(id)' 'a[$(id)]'",
  // 8: names a for loop or ${x:=…} assigns are plain variables, and what they hold is data
  ': ${PORT:=3000}; echo "$PORT"',
  "for v in '$(id)' 'a[$(id)]'; do echo \"$v\"; done",
  'x=\'$(id)\'; printf -v out \'%s\' "$x"; echo "$out"',
  // 9: rm of a wildcard removes what matches, even a link, and runs nothing
  'rm -f ./*.tmp',
  // 6: the set flags that stay allowed
  'set -euo pipefail; echo ok',
  'set -x; set +x; echo ok',
]

describe.skipIf(skipReason !== null)('the attack classes against real bash', () => {
  it.each(NEAR_ATTACKS)('allows %j and no canary runs', (command) => {
    const decision = decideBash(command, box.context)
    expect(decision.allowed, decision.reason).toBe(true)
    expect(box.run(command).filter((name) => CANARIES.has(name))).toEqual([])
  })

  it('never runs a canary from a mutated attack of classes 2 to 9 the policy allows', () => {
    const attacks = readCorpus()
      .filter((row) => row.class !== undefined && row.class <= 9 && !row.allowed)
      .map((row) => row.command)
    const glue = ['', ' ', '\\', ';', '\n', '\t', '"', "'", '$', '`', '(', ')', '{', '}', '#', '-']
    const edit = fc.tuple(fc.nat(), fc.constantFrom(...glue), fc.constantFrom('', 'id', 'evil'))
    let executed = 0
    fc.assert(
      fc.property(
        fc.constantFrom(...attacks),
        fc.array(edit, { minLength: 1, maxLength: 3 }),
        (attack, edits) => {
          let command = attack
          for (const [position, piece, canary] of edits) {
            const at = position % (command.length + 1)
            command = command.slice(0, at) + piece + canary + command.slice(at)
          }
          const decision = decideBash(command, box.context)
          if (!decision.allowed) return
          executed++
          expect(
            box.run(command).filter((name) => CANARIES.has(name)),
            `${JSON.stringify(command)} -> ${decision.reason}`,
          ).toEqual([])
        },
      ),
      { numRuns: Number(process.env['POLICY_DIFFERENTIAL_RUNS'] ?? 600) },
    )
    expect(executed).toBeGreaterThan(0)
  }, 180_000)
})
