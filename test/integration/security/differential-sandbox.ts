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

import { unwrap } from '../../../src/core/index.js'
import { createBashPolicy, type PolicyContext } from '../../../src/security/index.js'
import { tempDir } from '../../helpers/tmp.js'

// Real bash in a read-only bubblewrap sandbox whose PATH holds logging stubs: a canary command
// (`id`, `sudo`, `evil`) that runs from a command the policy allowed is an escape.
export const CANARIES = new Set(['id', 'sudo', 'evil'])
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

/** A sandbox to run allowed commands in, with the policy context they were decided in. */
export interface DifferentialSandbox extends Disposable {
  readonly context: PolicyContext
  /** Runs a command with bash (as sh -c runs dash) and returns the stub commands that ran. */
  run(command: string): string[]
}

export async function createDifferentialSandbox(): Promise<DifferentialSandbox> {
  const root = tempDir('autocoder-differential-')
  const bin = join(root.path, 'bin')
  const work = join(root.path, 'work')
  const log = join(root.path, 'log')
  mkdirSync(bin)
  mkdirSync(work)
  for (const name of STUBS) {
    writeFileSync(join(bin, name), `#!/bin/sh\necho ${name} >> ${log}\n`)
    chmodSync(join(bin, name), 0o755)
  }
  for (const name of REAL) {
    const path = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim()
    if (path) symlinkSync(path, join(bin, name))
  }
  const context: PolicyContext = {
    policy: unwrap(await createBashPolicy()),
    cwd: work,
    projectDir: work,
    homeDir: '/home/dev',
  }
  const run = (command: string): string[] => {
    rmSync(log, { force: true })
    spawnSync(
      'bwrap',
      [
        ...['--ro-bind', '/', '/', '--bind', root.path, root.path, '--dev', '/dev'],
        ...['--proc', '/proc', '--unshare-all', '--die-with-parent', '--chdir', work],
        ...['--setenv', 'PATH', bin, join(bin, 'bash'), '-c', command],
      ],
      { timeout: 3000, stdio: 'ignore' },
    )
    return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []
  }
  return { context, run, [Symbol.dispose]: () => root[Symbol.dispose]() }
}
