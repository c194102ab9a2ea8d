import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'

import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { unwrap } from '../../../src/core/index.js'
import {
  createBashPolicy,
  decideBash,
  detectSandbox,
  type PolicyContext,
} from '../../../src/security/index.js'
import { readCorpus } from '../../unit/security/policy-fixture.js'
import { tempDir } from '../../helpers/tmp.js'

// Differential test against real bash: random token soups (quotes, escapes, comments,
// substitutions, here-docs, separators) are decided by the policy; every one it allows is run by
// bash inside a read-only bubblewrap sandbox whose PATH holds logging stubs. A canary command
// (`id`, `sudo`, `evil`) that runs is an escape: the syntax tree and bash disagreed.
const sandbox = detectSandbox()
const CANARIES = new Set(['id', 'sudo', 'evil'])
const STUBS = [
  'ls',
  'cat',
  'grep',
  'npm',
  'npx',
  'pnpm',
  'node',
  'git',
  'head',
  'tail',
  'wc',
  'sleep',
  'pwd',
  'true',
  'false',
  'sort',
  'uniq',
  'cut',
  'tr',
  'curl',
  'ps',
  'lsof',
  'kill',
  'pkill',
  'mkdir',
  'touch',
  'rm',
  'cp',
  'mv',
  'chmod',
  'tee',
  'find',
  'docker',
  'date',
  'which',
  'diff',
  'du',
  'df',
  'stat',
  'realpath',
  'whoami',
  'uname',
  ...CANARIES,
]
const REAL = ['bash', 'sh', 'env', 'xargs', 'timeout', 'nice', 'nohup']
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
]

let context: PolicyContext
let root: ReturnType<typeof tempDir>

beforeAll(async () => {
  root = tempDir('autocoder-differential-')
  const bin = join(root.path, 'bin')
  mkdirSync(bin)
  mkdirSync(join(root.path, 'work'))
  for (const name of STUBS) {
    writeFileSync(join(bin, name), `#!/bin/sh\necho ${name} >> ${join(root.path, 'log')}\n`)
    chmodSync(join(bin, name), 0o755)
  }
  for (const name of REAL) {
    const path = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim()
    if (path) symlinkSync(path, join(bin, name))
  }
  const work = join(root.path, 'work')
  context = {
    policy: unwrap(await createBashPolicy()),
    cwd: work,
    projectDir: work,
    homeDir: '/home/dev',
  }
})

afterAll(() => root[Symbol.dispose]())

/** Runs a command with bash in a read-only sandbox and returns the stub commands that ran. */
function runInSandbox(command: string): string[] {
  const log = join(root.path, 'log')
  rmSync(log, { force: true })
  const bin = join(root.path, 'bin')
  spawnSync(
    'bwrap',
    [
      '--ro-bind',
      '/',
      '/',
      '--bind',
      root.path,
      root.path,
      '--dev',
      '/dev',
      '--proc',
      '/proc',
      '--unshare-all',
      '--die-with-parent',
      '--chdir',
      context.cwd,
      '--setenv',
      'PATH',
      bin,
      join(bin, 'bash'),
      '-c',
      command,
    ],
    { timeout: 3000, stdio: 'ignore' },
  )
  return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []
}

describe.skipIf(!sandbox.available)('bash and the policy agree', () => {
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
