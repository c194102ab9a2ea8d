import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer as createNetServer } from 'node:net'
import type { Server } from 'node:net'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'

import { afterEach, describe, expect, it } from 'vitest'

import { createServer, startServer } from '../../../src/server/index.js'
import type { RunningServer } from '../../../src/server/index.js'
import { authedInject, authHeaders } from '../../helpers/server-auth.js'
import { tempDir } from '../../helpers/tmp.js'

function occupyPort(): Promise<{ blocker: Server; port: number }> {
  const blocker = createNetServer()
  return new Promise((resolve) => {
    blocker.listen(0, '127.0.0.1', () => {
      const address = blocker.address()
      resolve({ blocker, port: typeof address === 'object' && address ? address.port : 0 })
    })
  })
}

describe('startServer', () => {
  const cleanups: Array<() => unknown> = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  it('moves to the next free port when the requested one is taken, and prints the URL', async () => {
    const { blocker, port } = await occupyPort()
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)))
    const printed: string[] = []
    const server: RunningServer = await startServer({
      port,
      onListening: ({ url, urlWithToken }) => printed.push(url, urlWithToken),
    })
    cleanups.push(() => server.close())
    expect(server.port).not.toBe(port)
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
    expect(printed).toEqual([server.url, `${server.url}/?token=${server.token}`])
    const health = await fetch(`${server.url}/api/health`, { headers: authHeaders(server) })
    expect(health.status).toBe(200)
  })

  it('fails with strictPort when the port is taken', async () => {
    const { blocker, port } = await occupyPort()
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)))
    await expect(startServer({ port, strictPort: true })).rejects.toThrow(/No free port/)
  })

  it('prints a start address carrying the token for a non-loopback bind', async () => {
    let printed = ''
    const server = await startServer({
      host: '0.0.0.0',
      port: 0,
      onListening: ({ urlWithToken }) => (printed = urlWithToken),
    })
    cleanups.push(() => server.close())
    expect(printed).toBe(`http://localhost:${server.port}/?token=${server.token}`)
  })
})

describe('setup status', () => {
  it('reports where credentials come from without revealing them', async () => {
    using dir = tempDir()
    mkdirSync(join(dir.path, '.claude'))
    writeFileSync(join(dir.path, '.claude', '.credentials.json'), '{"secret":"login-secret"}')
    const server = await createServer({
      homeDir: dir.path,
      env: {
        PATH: process.env.PATH ?? '',
        ANTHROPIC_API_KEY: 'sk-ant-very-secret',
        ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
      },
      validateResponses: true,
    })
    const response = await authedInject(server)({ url: '/api/setup/status' })
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body.credentials).toEqual({
      present: true,
      sources: ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'claude_login'],
    })
    expect(body.claudeCli).toEqual({ present: true, source: 'sdk' })
    expect(body.git.present).toBe(true)
    // Read from the package of the npm on PATH, the version `npm --version` prints.
    const npm = spawnSync('npm', ['--version'], { encoding: 'utf8' }).stdout.trim()
    expect(body.npm).toEqual({ present: true, version: npm })
    expect(response.body).not.toContain('secret')
    await server.app.close()
  })

  it('reports missing credentials', async () => {
    using dir = tempDir()
    const server = await createServer({
      homeDir: dir.path,
      env: { PATH: process.env.PATH ?? '' },
    })
    const body = (await authedInject(server)({ url: '/api/setup/status' })).json()
    expect(body.credentials).toEqual({ present: false, sources: [] })
    expect(body.ready).toBe(false)
    await server.app.close()
  })
})

describe('built UI', () => {
  it('serves index.html for the root and client routes, files as they are, and JSON 404s under /api', async () => {
    using dir = tempDir()
    mkdirSync(join(dir.path, 'assets'))
    writeFileSync(join(dir.path, 'index.html'), '<!doctype html><title>autocoder</title>')
    writeFileSync(join(dir.path, 'assets', 'app.js'), 'console.log(1)')
    const server = await createServer({ uiDir: dir.path })
    const inject = authedInject(server)
    const root = await inject({ url: '/' })
    const client = await inject({ url: '/projects/demo/board' })
    const asset = await inject({ url: '/assets/app.js' })
    const api = await inject({ url: '/api/nope' })
    const escape = await inject({ url: '/assets/..%2f..%2fetc%2fpasswd' })
    expect([root.statusCode, client.statusCode, asset.statusCode, api.statusCode]).toEqual([
      200, 200, 200, 404,
    ])
    expect(client.body).toContain('<title>autocoder</title>')
    expect(asset.headers['content-type']).toContain('javascript')
    // Built code is named by its content: cached for good; index.html is checked on every load.
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(root.headers['cache-control']).not.toContain('immutable')
    expect(client.headers['cache-control'] ?? '').not.toContain('immutable')
    expect(api.json().error.code).toBe('ROUTE_NOT_FOUND')
    expect(escape.body).not.toContain('root:')
    await server.app.close()
  })

  it('serves the gzip file the build wrote next to an asset to a browser that accepts gzip', async () => {
    using dir = tempDir()
    mkdirSync(join(dir.path, 'assets'))
    writeFileSync(join(dir.path, 'index.html'), '<!doctype html><title>autocoder</title>')
    const code = `export const words = ${JSON.stringify('autocoder '.repeat(500))}\n`
    writeFileSync(join(dir.path, 'assets', 'app.js'), code)
    writeFileSync(join(dir.path, 'assets', 'app.js.gz'), gzipSync(code))
    const server = await createServer({ uiDir: dir.path })
    const inject = authedInject(server)
    const zipped = await inject({ url: '/assets/app.js', headers: { 'accept-encoding': 'gzip' } })
    const plain = await inject({ url: '/assets/app.js' })
    expect(zipped.headers['content-encoding']).toBe('gzip')
    expect(zipped.headers['content-type']).toContain('javascript')
    expect(zipped.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(code)
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body).toBe(code)
    await server.app.close()
  })
})
