import { beforeAll, describe, expect, it } from 'vitest'

import { unwrap } from '../../../src/core/index.js'
import {
  createBashPolicy,
  decideBash,
  type BashPolicy,
  type PolicyContext,
} from '../../../src/security/index.js'

let defaults: BashPolicy

beforeAll(async () => {
  defaults = unwrap(await createBashPolicy())
})

function context(policy: BashPolicy = defaults): PolicyContext {
  return { policy, cwd: '/srv/app', projectDir: '/srv/app', homeDir: '/home/dev' }
}

describe('decideBash reasons', () => {
  it('names the command and the rule that admitted it', () => {
    expect(decideBash('cd src && npm test', context()).reason).toBe(
      'allowed: cd (default allowlist), npm (default allowlist)',
    )
  })

  it('names the blocked command and the list it is on', () => {
    expect(decideBash('ls && reboot', context()).reason).toBe(
      'reboot is blocked: reboot is on the block list and can never run',
    )
  })

  it('tells how to allow a command that is simply not on the allowlist', () => {
    expect(decideBash('make build', context()).reason).toContain(
      'add it to .autocoder/allowed_commands.yaml',
    )
  })

  it('reports nested and unwrapped commands in the order they run', () => {
    const decision = decideBash('timeout 5 env A=1 git status | grep "$(pwd)"', context())
    expect(decision.commands).toEqual(['timeout', 'env', 'git', 'pwd', 'grep'])
  })

  it('flags node -e as allowed but logged', () => {
    expect(decideBash('node -e "console.log(1)"', context())).toMatchObject({
      allowed: true,
      flags: ['node-eval'],
    })
    expect(decideBash('node server.js', context()).flags).toEqual([])
  })

  it('allows an empty command and refuses NUL bytes', () => {
    expect(decideBash('   ', context()).allowed).toBe(true)
    expect(decideBash('ls\0', context())).toMatchObject({
      allowed: false,
      reason: 'the command contains a NUL byte',
    })
  })
})

describe('allowlist entries from config', () => {
  it('match path entries exactly, never by basename elsewhere', async () => {
    const policy = unwrap(
      await createBashPolicy({
        project: {
          file: 'p.yaml',
          config: {
            version: 1,
            commands: [{ name: './scripts/dev.sh' }],
            pkill_processes: [],
            npx_packages: [],
          },
        },
      }),
    )
    expect(decideBash('./scripts/dev.sh --port 3001', context(policy)).allowed).toBe(true)
    expect(decideBash('scripts/dev.sh', context(policy)).allowed).toBe(true)
    expect(decideBash('dev.sh', context(policy)).allowed).toBe(false)
    expect(decideBash('/tmp/scripts/dev.sh', context(policy)).allowed).toBe(false)
  })

  it('lets a bare allowed name run only from PATH, not as a script in the project', () => {
    expect(decideBash('./ls', context()).allowed).toBe(false)
    expect(decideBash('/usr/bin/ls -la', context()).allowed).toBe(true)
  })

  it('match prefix wildcards that stay clear of interpreters', async () => {
    const policy = unwrap(
      await createBashPolicy({
        project: {
          file: 'p.yaml',
          config: {
            version: 1,
            commands: [{ name: 'mak*' }],
            pkill_processes: [],
            npx_packages: [],
          },
        },
      }),
    )
    expect(decideBash('make test', context(policy)).allowed).toBe(true)
    expect(decideBash('makeinfo x', context(policy)).allowed).toBe(true)
    expect(decideBash('python3 -c 1', context(policy)).allowed).toBe(false)
  })

  it('let the org block list remove a default command, also behind wrappers and in bash -c', async () => {
    const policy = unwrap(
      await createBashPolicy({
        org: {
          file: 'org.yaml',
          config: {
            version: 1,
            allowed_commands: [],
            blocked_commands: ['curl'],
            pkill_processes: [],
            npx_packages: [],
          },
        },
      }),
    )
    for (const command of [
      'curl localhost',
      'env curl localhost',
      'bash -c "curl localhost"',
      'echo $(curl localhost)',
    ]) {
      expect(decideBash(command, context(policy)), command).toMatchObject({
        allowed: false,
        reason: expect.stringContaining('curl is blocked'),
      })
    }
  })
})

describe('paths after cd', () => {
  it('checks later relative paths from every directory the command may be in (a cd may fail)', () => {
    expect(decideBash('cd src && rm -rf dist', context()).allowed).toBe(true)
    expect(decideBash('cd src && rm -rf ../dist', context()).allowed).toBe(false)
    expect(decideBash('cd src && rm -rf ../../other', context()).allowed).toBe(false)
    expect(decideBash('cd /etc; echo x > hosts', context()).allowed).toBe(false)
  })

  it('refuses a cd it cannot follow before a relative write', () => {
    expect(decideBash('cd "$DIR" && rm -rf build', context()).allowed).toBe(false)
  })
})
