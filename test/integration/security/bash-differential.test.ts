import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { decideBash, type PolicyContext } from '../../../src/security/index.js'
import { readCorpus } from '../../unit/security/policy-fixture.js'
import { skipReason } from '../sandbox/helpers.js'

import {
  CANARIES,
  createDifferentialSandbox,
  type DifferentialSandbox,
} from './differential-sandbox.js'

// Differential test against real bash: random token soups (quotes, escapes, comments,
// substitutions, here-docs, separators) are decided by the policy; every one it allows is run by
// bash inside a read-only bubblewrap sandbox whose PATH holds logging stubs. A canary command
// (`id`, `sudo`, `evil`) that runs is an escape: the syntax tree and bash disagreed.
const PIECES = [
  'ls',
  'ls',
  'echo',
  'echo',
  'cat',
  'id',
  'sudo',
  'evil',
  'bash -c',
  'sh -c',
  'eval',
  'env',
  'xargs',
  'timeout 1',
  'command',
  'exec',
  ' ',
  ' ',
  ' ',
  'x',
  ';',
  '&&',
  '||',
  '|',
  '&',
  '\n',
  "'",
  '"',
  '`',
  '$(',
  ')',
  '{',
  '}',
  '(',
  "$'",
  '\\',
  '\\ ',
  '\\\n',
  '\\#',
  '\\;',
  '#',
  '# ',
  '<<',
  '<<<',
  '>(',
  '<(',
  '${',
  ':=',
  ':-',
  '$',
  '!',
  '[[',
  ']]',
  '*',
  '~',
  '\t',
  'a=',
  'EOF',
  'if',
  'then',
  'fi',
  'do',
  'done',
  'for',
  'in',
  'case',
  'esac',
  ';;',
  '$((',
  '))',
  '${x:=`id`}',
  '$(id)',
  '`id`',
  "<<'EOF'\n$(id)\nEOF\n",
  '<<EOF\n$(id)\nEOF\n',
  '"$(id)"',
  "'$(id)'",
  '\\`id\\`',
  '>',
  '>a',
  '2>&1',
  '<',
  '>>',
  '[',
  ']',
  '[ -f x ]',
  'if [',
  '; then ls; fi',
  // shapes of the issue-11 classes: here-doc variants, arithmetic, functions, options, dash
  '<<-',
  "<<-'EOF'\n\t$(id)\n\tEOF\n",
  '<<-EOF\n\t$(id)\n\tEOF\n',
  '$\\\n(id)',
  '|&',
  '${x:',
  '[[ 1 -eq ',
  "'a[$(id)]'",
  'a[',
  ']=',
  '=(',
  'printf -v ',
  'wait -n -p ',
  'set -k',
  'f() {',
  'sh -c ',
  '\\`',
  '-eq 0 ]]',
  '"$x"',
  'x=',
  ' -v ',
  // quotes inside a double-quoted ${x:-…} are plain text to bash
  '"${x:-\'',
  '"${x:+$\'',
  '\'}"',
  '"${x:-\'$(id)\'}"',
  // wrappers named by their path
  '/usr/bin/env',
  '/usr/bin/xargs',
]

let sandboxed: DifferentialSandbox
let context: PolicyContext

beforeAll(async () => {
  sandboxed = await createDifferentialSandbox()
  context = sandboxed.context
})

afterAll(() => sandboxed[Symbol.dispose]())

function runInSandbox(command: string): string[] {
  return sandboxed.run(command)
}

describe.skipIf(skipReason !== null)('bash and the policy agree', () => {
  it('never lets a canary command run from a command the policy allows', () => {
    let executed = 0
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...PIECES), fc.constantFrom('', ' ')), {
          minLength: 2,
          maxLength: 12,
        }),
        (parts) => {
          const command = parts.map(([piece, space]) => piece + space).join('')
          const decision = decideBash(command, context)
          if (!decision.allowed) return
          executed++
          const ran = runInSandbox(command)
          expect(
            ran.filter((name) => CANARIES.has(name)),
            `${JSON.stringify(command)} -> ${decision.reason}`,
          ).toEqual([])
        },
      ),
      { numRuns: Number(process.env['POLICY_DIFFERENTIAL_RUNS'] ?? 1000) },
    )
    expect(executed).toBeGreaterThan(0)
  }, 180_000)

  it('never lets a canary run from an allowed corpus command with glue and a canary spliced in', () => {
    const allowedCommands = readCorpus()
      .filter((row) => row.allowed)
      .map((row) => row.command)
    const glue = [
      '',
      ' ',
      '\\',
      ';',
      '\\\n',
      '#',
      '"',
      "'",
      '$(',
      '`',
      '\\ ',
      '\n',
      '|',
      '&',
      '(',
      ')',
      '{',
      '}',
      '<<',
      '<<<',
      '$',
      '${',
      '[[',
      '[',
      '\t',
      '=',
      '>',
      '<',
      '&&',
    ]
    const edit = fc.tuple(
      fc.nat(),
      fc.constantFrom(...glue),
      fc.constantFrom('id', 'evil', 'sudo', ''),
    )
    let executed = 0
    fc.assert(
      fc.property(
        fc.constantFrom(...allowedCommands),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        (base, edits) => {
          let command = base
          for (const [position, piece, canary] of edits) {
            const at = position % (command.length + 1)
            command = command.slice(0, at) + piece + canary + command.slice(at)
          }
          const decision = decideBash(command, context)
          if (!decision.allowed) return
          executed++
          const ran = runInSandbox(command)
          expect(
            ran.filter((name) => CANARIES.has(name)),
            `${JSON.stringify(command)} -> ${decision.reason}`,
          ).toEqual([])
        },
      ),
      { numRuns: Number(process.env['POLICY_DIFFERENTIAL_RUNS'] ?? 400) },
    )
    expect(executed).toBeGreaterThan(0)
  }, 180_000)
})
