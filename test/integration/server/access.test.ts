import { request as httpRequest } from 'node:http'

import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'

import { err, ok } from '../../../src/core/index.js'
import { createServer, startServer } from '../../../src/server/index.js'
import type { RunningServer } from '../../../src/server/index.js'
import { authedInject, authHeaders, wsHandshake } from '../../helpers/server-auth.js'

/** A raw HTTP GET with a chosen Host header (fetch does not allow setting it). */
function getWithHost(url: string, host: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: authHeaders({ token }, { host }) }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.once('error', reject)
    req.end()
  })
}

describe('access control (in-process)', () => {
  it('refuses a request from another origin with a clean 403 JSON error', async () => {
    const inject = authedInject(await createServer())
    const response = await inject({
      url: '/api/health',
      headers: { origin: 'http://evil.example' },
    })
    expect(response.statusCode).toBe(403)
    expect(response.json()).toEqual({
      error: { code: 'BAD_ORIGIN', message: expect.stringContaining('Cross-origin') },
    })
  })

  it('accepts same-origin and configured origins', async () => {
    const inject = authedInject(await createServer({ allowedOrigins: ['http://localhost:5173'] }))
    const same = await inject({
      url: '/api/health',
      headers: { origin: 'http://localhost:80' },
    })
    const vite = await inject({
      url: '/api/health',
      headers: { origin: 'http://localhost:5173' },
    })
    expect([same.statusCode, vite.statusCode]).toEqual([200, 200])
  })

  it('refuses a Host header naming another site (DNS rebinding)', async () => {
    const inject = authedInject(await createServer())
    const response = await inject({
      url: '/api/health',
      headers: { host: 'attacker.example:80' },
    })
    expect(response.statusCode).toBe(403)
    expect(response.json().error.code).toBe('BAD_HOST')
  })

  it('refuses cross-site API requests that carry no Origin', async () => {
    const inject = authedInject(await createServer())
    const response = await inject({
      url: '/api/health',
      headers: { 'sec-fetch-site': 'cross-site' },
    })
    expect(response.statusCode).toBe(403)
  })
})

describe('error handling (in-process)', () => {
  async function serverWithProbeRoutes() {
    const server = await createServer({ homeDir: '/home/me', bodyLimitBytes: 1024 })
    const inject = authedInject(server)
    server.api.route({
      method: 'POST',
      url: '/api/test/echo/:id',
      summary: 'echo',
      params: z.object({ id: z.coerce.number().int().positive() }),
      body: z.object({ name: z.string().min(1), count: z.number().int() }),
      response: z.object({ id: z.number(), name: z.string() }),
      handler: ({ params, body }) => ok({ id: params.id, name: body.name }),
    })
    server.api.route({
      method: 'GET',
      url: '/api/test/missing',
      summary: 'expected failure',
      response: z.object({}),
      handler: () =>
        err('PROJECT_NOT_FOUND', 'No project at /home/me/work/app or /srv/secret/place.'),
    })
    server.app.get('/api/test/boom', () => {
      throw new Error('failed at /srv/private/file.ts line 3')
    })
    return { inject }
  }

  it('answers a body field of the wrong type with 400 naming the field', async () => {
    const { inject } = await serverWithProbeRoutes()
    const response = await inject({
      method: 'POST',
      url: '/api/test/echo/1',
      payload: { name: 'a', count: 'three' },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error).toEqual({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('body.count'),
    })
  })

  it('answers bad path parameters, missing bodies and malformed JSON with 400', async () => {
    const { inject } = await serverWithProbeRoutes()
    const badParam = await inject({
      method: 'POST',
      url: '/api/test/echo/abc',
      payload: { name: 'a', count: 1 },
    })
    const noBody = await inject({ method: 'POST', url: '/api/test/echo/1' })
    const badJson = await inject({
      method: 'POST',
      url: '/api/test/echo/1',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    })
    expect([badParam.statusCode, noBody.statusCode, badJson.statusCode]).toEqual([400, 400, 400])
    expect(badParam.json().error.message).toContain('params.id')
    expect(badJson.json().error.code).toBe('INVALID_INPUT')
  })

  it('answers an oversized body with 413', async () => {
    const { inject } = await serverWithProbeRoutes()
    const response = await inject({
      method: 'POST',
      url: '/api/test/echo/1',
      payload: { name: 'x'.repeat(5000), count: 1 },
    })
    expect(response.statusCode).toBe(413)
    expect(response.json().error.code).toBe('PAYLOAD_TOO_LARGE')
  })

  it('maps a result error code to its status and hides absolute paths', async () => {
    const { inject } = await serverWithProbeRoutes()
    const response = await inject({ url: '/api/test/missing' })
    expect(response.statusCode).toBe(404)
    expect(response.json().error.message).toBe('No project at ~/work/app or .../place.')
  })

  it('answers an unexpected exception with a generic 500 without message or stack', async () => {
    const { inject } = await serverWithProbeRoutes()
    const response = await inject({ url: '/api/test/boom' })
    expect(response.statusCode).toBe(500)
    expect(response.body).not.toContain('/srv')
    expect(response.body).not.toContain('at ')
    expect(response.json().error.code).toBe('INTERNAL')
  })

  it('answers unknown routes with a JSON 404', async () => {
    const { inject } = await serverWithProbeRoutes()
    const response = await inject({ url: '/api/nothing-here' })
    expect(response.statusCode).toBe(404)
    expect(response.json().error.code).toBe('ROUTE_NOT_FOUND')
  })

  it('lists every route registered through the router in the OpenAPI document', async () => {
    const { inject } = await serverWithProbeRoutes()
    const doc = (await inject({ url: '/api/openapi.json' })).json()
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/setup/status',
        '/api/filesystem/list',
        '/api/test/echo/{id}',
      ]),
    )
    const echo = doc.paths['/api/test/echo/{id}'].post
    expect(echo.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    ])
    expect(echo.requestBody.content['application/json'].schema.required).toEqual(['name', 'count'])
  })
})

describe('access control (listening)', () => {
  let server: RunningServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it('refuses a non-loopback bind without the token, on HTTP and WebSocket alike', async () => {
    server = await startServer({
      host: '0.0.0.0',
      port: 0,
      projects: () => err('PROJECT_NOT_FOUND', 'none'),
    })
    const base = `http://127.0.0.1:${server.port}`
    expect((await fetch(`${base}/api/health`)).status).toBe(401)
    expect((await fetch(`${base}/api/health`, { headers: authHeaders(server) })).status).toBe(200)
    const ws = `ws://127.0.0.1:${server.port}/api/terminal/ws/demo/${'a'.repeat(22)}`
    expect(await wsHandshake(ws)).toBe(401)
    expect(await wsHandshake(ws, authHeaders(server))).toBe('open')
  })

  it('refuses WebSocket upgrades from another origin or host on a loopback bind', async () => {
    server = await startServer({ port: 0, projects: () => err('PROJECT_NOT_FOUND', 'none') })
    const ws = `ws://127.0.0.1:${server.port}/api/terminal/ws/demo/${'a'.repeat(22)}`
    // Even with the token, a page on another origin may not open a socket.
    expect(await wsHandshake(ws, authHeaders(server, { origin: 'http://evil.example' }))).toBe(403)
    expect(
      await wsHandshake(ws, authHeaders(server, { origin: `http://127.0.0.1:${server.port}` })),
    ).toBe('open')
    const health = `http://127.0.0.1:${server.port}/api/health`
    expect(await getWithHost(health, `rebind.example:${server.port}`, server.token)).toBe(403)
    expect(await getWithHost(health, `localhost:${server.port + 1}`, server.token)).toBe(403)
    expect(await getWithHost(health, `localhost:${server.port}`, server.token)).toBe(200)
  })
})
