// How tests get past the server's token (every request and WebSocket needs it, loopback too).
import type { InjectOptions } from 'fastify'
import WebSocket from 'ws'

import type { AutocoderServer } from '../../src/server/index.js'

/** A server or anything holding its token (`createServer`, `startServer`, `startAutocoderServer`). */
export interface HasToken {
  token: string
}

/**
 * Headers that authorise a request or WebSocket: `fetch(url, { headers: authHeaders(server) })`,
 * `new WebSocket(url, { headers: authHeaders(server) })`, `app.inject({ headers: ... })`. Extra
 * headers are merged in.
 */
export function authHeaders(
  server: HasToken,
  extra: Record<string, string> = {},
): Record<string, string> {
  return { authorization: `Bearer ${server.token}`, ...extra }
}

/** `app.inject` with the token added: `const inject = authedInject(server); await inject({ url })`. */
export function authedInject(server: Pick<AutocoderServer, 'app' | 'token'>) {
  return (options: InjectOptions | string) => {
    const opts = typeof options === 'string' ? { url: options } : options
    return server.app.inject({
      ...opts,
      headers: authHeaders(server, (opts.headers ?? {}) as Record<string, string>),
    })
  }
}

/**
 * What a browser does: opens the start address `/?token=...` and keeps the cookie it is given.
 * Returns the `Cookie` header value to send afterwards (HttpOnly cookies are not readable by the
 * page, so browser tests simply open the start address first).
 */
export async function browserCookie(baseUrl: string, token: string): Promise<string> {
  const response = await fetch(`${baseUrl}/?token=${token}`, { redirect: 'manual' })
  const setCookie = response.headers.get('set-cookie')
  if (response.status !== 303 || setCookie === null)
    throw new Error(`the start address answered ${response.status} without a cookie`)
  return setCookie.split(';')[0]!
}

/** Opens a WebSocket and reports how the handshake ended: 'open', or the HTTP status refusing it. */
export function wsHandshake(
  url: string,
  headers: Record<string, string> = {},
): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers })
    socket.once('open', () => {
      socket.terminate()
      resolve('open')
    })
    socket.once('unexpected-response', (_request, response) => {
      response.resume()
      socket.terminate()
      resolve(response.statusCode ?? 0)
    })
    socket.once('error', reject)
  })
}
