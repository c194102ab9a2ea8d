// The server's token: every request and WebSocket needs it, loopback included (an agent's curl on
// this machine must get a 401), a browser gets it as a cookie from the start address, and it lives
// in a private file of AUTOCODER_HOME that survives restarts.
import { mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'

import pino from 'pino'
import { describe, expect, it } from 'vitest'

import { createServer } from '../../../src/server/index.js'
import { authedInject, authHeaders, browserCookie, wsHandshake } from '../../helpers/server-auth.js'
import { tempDir } from '../../helpers/tmp.js'
import { startHarness } from './app-harness.js'

/** A concrete URL for a documented route: every parameter filled with a plausible value. */
function concrete(url: string): string {
  return url
    .replace(':terminalId', 'a'.repeat(22))
    .replace(':project', 'app')
    .replace(/:[A-Za-z]+/g, '1')
}

describe('token (in-process)', () => {
  it('answers a request without the token, or with a wrong one, with 401 saying how to get in', async () => {
    const server = await createServer()
    const without = await server.app.inject({ url: '/api/health' })
    const wrong = await server.app.inject({
      url: '/api/health',
      headers: { authorization: `Bearer ${'x'.repeat(server.token.length)}` },
    })
    const shorter = await server.app.inject({
      url: '/api/health',
      headers: { authorization: `Bearer ${server.token.slice(1)}` },
    })
    const right = await authedInject(server)({ url: '/api/health' })
    expect([without.statusCode, wrong.statusCode, shorter.statusCode, right.statusCode]).toEqual([
      401, 401, 401, 200,
    ])
    expect(without.json()).toEqual({
      error: { code: 'UNAUTHORIZED', message: expect.stringContaining('autocoder ui --print-url') },
    })
    expect(wrong.body).not.toContain(server.token)
    await server.app.close()
  })

  it('takes a token in the query only from a page visit, never on API paths', async () => {
    const server = await createServer({ uiDir: null })
    const api = await server.app.inject({ url: `/api/health?token=${server.token}` })
    expect(api.statusCode).toBe(401)
    expect(api.body).not.toContain(server.token)
    await server.app.close()
  })

  it('gives a browser visiting the start address an HttpOnly SameSite=Strict cookie, then redirects without the token', async () => {
    const server = await createServer({ uiDir: null })
    const visit = await server.app.inject({ url: `/projects/app?token=${server.token}&x=1` })
    expect(visit.statusCode).toBe(303)
    expect(visit.headers.location).toBe('/projects/app?x=1')
    expect(visit.headers['cache-control']).toBe('no-store')
    const setCookie = String(visit.headers['set-cookie'])
    expect(setCookie).toMatch(/^autocoder_token=[A-Za-z0-9_-]{43}; /)
    for (const attribute of ['HttpOnly', 'SameSite=Strict', 'Path=/'])
      expect(setCookie.split('; ')).toContain(attribute)
    const cookie = setCookie.split(';')[0]!
    const api = await server.app.inject({ url: '/api/health', headers: { cookie } })
    expect(api.statusCode).toBe(200)
    const otherCookie = await server.app.inject({
      url: '/api/health',
      headers: { cookie: `autocoder_token=${'y'.repeat(43)}` },
    })
    expect(otherCookie.statusCode).toBe(401)
    await server.app.close()
  })

  it('answers a start address with a wrong token, and a page without one, with a 401 page and no cookie', async () => {
    const server = await createServer({ uiDir: null })
    const wrong = await server.app.inject({
      url: `/?token=${'z'.repeat(43)}`,
      headers: { accept: 'text/html' },
    })
    expect(wrong.statusCode).toBe(401)
    expect(wrong.headers['set-cookie']).toBeUndefined()
    expect(wrong.headers['content-type']).toContain('text/html')
    expect(wrong.body).toContain('autocoder ui --print-url')
    const plain = await server.app.inject({ url: '/' })
    expect(plain.statusCode).toBe(401)
    expect(plain.json().error.code).toBe('UNAUTHORIZED')
    await server.app.close()
  })

  it('keeps the token out of the request log', async () => {
    let log = ''
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        log += chunk.toString()
        done()
      },
    })
    const server = await createServer({ uiDir: null, logger: pino(sink) })
    await server.app.inject({ url: `/?token=${server.token}` })
    await server.app.inject({ url: `/api/health?token=${server.token}` })
    await authedInject(server)({ url: '/api/health' })
    await server.app.close()
    expect(log).toContain('token=[redacted]')
    expect(log).not.toContain(server.token)
  })
})

describe('token (the whole server)', () => {
  it('refuses every documented route and socket without the token, loopback included', async () => {
    await using h = await startHarness()
    const docs = h.app.api.docs
    expect(docs.length).toBeGreaterThan(40)
    const refusedHttp: string[] = []
    for (const route of docs.filter((doc) => doc.method !== 'WS')) {
      const response = await fetch(`${h.base}${concrete(route.url)}`, {
        method: route.method,
        ...(route.method === 'GET' || route.method === 'DELETE'
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: '{}' }),
      })
      const body = await response.text()
      if (response.status === 401 && body.includes('UNAUTHORIZED'))
        refusedHttp.push(`${route.method} ${route.url}`)
    }
    expect(refusedHttp).toEqual(
      docs.filter((doc) => doc.method !== 'WS').map((doc) => `${doc.method} ${doc.url}`),
    )
    for (const path of ['/api/openapi.json', '/', '/assets/x.js'])
      expect((await fetch(`${h.base}${path}`)).status).toBe(401)
    const sockets = docs.filter((doc) => doc.method === 'WS').map((doc) => doc.url)
    // The project feed, the terminal and the chats (dev-server logs travel on the project feed).
    expect([...sockets].sort()).toEqual([
      '/api/assistant/ws/:project',
      '/api/expand/ws/:project',
      '/api/projects/:project/ws',
      '/api/spec/ws/:project',
      '/api/terminal/ws/:project/:terminalId',
    ])
    const ws = h.base.replace('http', 'ws')
    for (const socket of sockets) {
      const url = `${ws}${concrete(socket)}`
      // No Origin, no token: what an agent's script would send.
      expect(await wsHandshake(url)).toBe(401)
      // A browser on the server's own origin still needs the cookie.
      expect(await wsHandshake(url, { origin: h.base })).toBe(401)
      expect(await wsHandshake(url, { authorization: 'Bearer wrong' })).toBe(401)
      expect(await wsHandshake(`${url}?token=${h.app.token}`)).toBe(401)
    }
  })

  it('lets a browser in with the cookie from the start address, on HTTP and on the project socket', async () => {
    await using h = await startHarness()
    await h.request('POST', '/api/projects', { name: 'app', path: join(h.root, 'app') })
    const cookie = await browserCookie(h.base, h.app.token)
    expect(cookie).toMatch(new RegExp(`^autocoder_token_${h.app.port}=`))
    const projects = await fetch(`${h.base}/api/projects`, { headers: { cookie } })
    expect(projects.status).toBe(200)
    const ws = `${h.base.replace('http', 'ws')}/api/projects/app/ws`
    expect(await wsHandshake(ws, { cookie, origin: h.base })).toBe('open')
    expect(await wsHandshake(ws, { cookie, origin: 'http://evil.example' })).toBe(403)
    expect(await wsHandshake(ws, authHeaders(h.app))).toBe('open')
  })

  it('keeps the token in AUTOCODER_HOME (dir 0700, file 0600) and reuses it after a restart', async () => {
    using dir = tempDir()
    const home = join(realpathSync(dir.path), 'autocoder-home')
    let first: string
    {
      await using h = await startHarness({ autocoderHome: home })
      first = h.app.token
      expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/)
    }
    expect(statSync(home).mode & 0o777).toBe(0o700)
    expect(statSync(join(home, 'server-token')).mode & 0o777).toBe(0o600)
    expect(readFileSync(join(home, 'server-token'), 'utf8').trim()).toBe(first)
    await using again = await startHarness({ autocoderHome: home })
    expect(again.app.token).toBe(first)
    const response = await fetch(`${again.base}/api/health`, {
      headers: { authorization: `Bearer ${first}` },
    })
    expect(response.status).toBe(200)
    expect(await response.text()).not.toContain(first)
  })

  it('refuses to start on a token file that is not a token, saying what to do', async () => {
    using dir = tempDir()
    const home = join(realpathSync(dir.path), 'autocoder-home')
    mkdirSync(home, { mode: 0o700 })
    writeFileSync(join(home, 'server-token'), 'short\n', { mode: 0o600 })
    await expect(startHarness({ autocoderHome: home })).rejects.toThrow(
      /not 43 to 512 URL-safe characters.*delete the file/,
    )
  })
})
