import { timingSafeEqual } from 'node:crypto'
import { networkInterfaces } from 'node:os'

import type { FastifyReply, FastifyRequest } from 'fastify'

import { sendError } from './errors.js'

/** Who may talk to the server. Built once by `createServer`. */
export interface AccessPolicy {
  /** The host the server listens on. */
  boundHost: string
  /** Required on every request and WebSocket, on loopback too. */
  token: string
  /** Extra `Host` names accepted (for a reverse proxy or a LAN name); loopback names always are. */
  allowedHosts: readonly string[]
  /** Extra origins accepted besides same-origin, such as the Vite dev server `http://localhost:5173`. */
  allowedOrigins: readonly string[]
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]'])
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]'])

function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host)
}

/** Compares in constant time (for equal lengths; the length of a token is no secret). */
export function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The cookie carrying the token for a browser; port-specific because cookies ignore ports. */
export function tokenCookieName(port: number | undefined): string {
  return port === undefined ? 'autocoder_token' : `autocoder_token_${port}`
}

/** The cookie's lifetime: the token outlives restarts, so a browser stays signed in (400 days, the most browsers keep). */
const COOKIE_MAX_AGE_S = 400 * 24 * 3600

/** How to get in, for a request without a valid token (no path: errors never carry them). */
const UNAUTHORIZED_MESSAGE =
  'This autocoder server needs its access token. Open the address printed when it started (autocoder ui prints it; autocoder ui --print-url prints it again), or send Authorization: Bearer <token> (the token is in $AUTOCODER_HOME/server-token).'

function unauthorizedPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>autocoder: sign in</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5">
<h1>autocoder needs its access token</h1>
<p>Open the address printed when the server started (it ends in <code>/?token=...</code>).
Run <code>autocoder ui --print-url</code> in a terminal to print it again.</p>
</body></html>
`
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
}

function splitHostHeader(value: string): { name: string; port: number | undefined } | null {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(value.trim())
  if (!match) return null
  return {
    name: stripBrackets(match[1]!.toLowerCase()),
    port: match[2] === undefined ? undefined : Number(match[2]),
  }
}

function localAddresses(): Set<string> {
  const names = new Set<string>()
  for (const list of Object.values(networkInterfaces())) {
    for (const address of list ?? []) names.add(address.address.toLowerCase())
  }
  return names
}

function hostNameAllowed(
  name: string,
  policy: AccessPolicy,
  addresses: () => Set<string>,
): boolean {
  if (isLoopbackHost(name)) return true
  const bound = stripBrackets(policy.boundHost.toLowerCase())
  if (name === bound) return true
  if (policy.allowedHosts.some((host) => host.toLowerCase() === name)) return true
  // Bound to every interface: any of this machine's addresses may be used to reach it.
  return WILDCARD_HOSTS.has(policy.boundHost) && addresses().has(name)
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const index = part.indexOf('=')
    if (index > 0 && part.slice(0, index).trim() === name)
      return decodeURIComponent(part.slice(index + 1).trim())
  }
  return undefined
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '')
  return match?.[1]
}

/** The `?token=` of a page visit (the start address); never read on API paths or sockets. */
function queryToken(url: string): string | undefined {
  const index = url.indexOf('?')
  if (index < 0) return undefined
  return new URLSearchParams(url.slice(index + 1)).get('token') ?? undefined
}

function isApiPath(url: string): boolean {
  const path = url.split('?', 1)[0] ?? url
  return path === '/api' || path.startsWith('/api/') || path === '/ws' || path.startsWith('/ws/')
}

/** The URL without its `token` query parameter (for the redirect after a cookie is set). */
function withoutToken(url: string): string {
  const [path, query = ''] = url.split('?', 2)
  const params = new URLSearchParams(query)
  params.delete('token')
  const rest = params.toString()
  return rest ? `${path}?${rest}` : (path ?? '/')
}

/**
 * The `onRequest` hook guarding every HTTP request and WebSocket upgrade:
 * 1. `Host` must name this server (loopback names, the bound host, configured names) on the port
 *    the request arrived on, which defeats DNS rebinding;
 * 2. `Origin`, when present, must be same-origin (or configured), and cross-site fetches of API
 *    paths are refused, so a page the user visits cannot drive the server;
 * 3. the token must come as `Authorization: Bearer` or the port's cookie, on every request and
 *    socket, loopback included (an agent on this machine must not drive the server); a browser
 *    visiting the start address `/?token=...` gets the cookie and is redirected without it.
 * Nothing is open without the token, not even `/api/health`: the 401 itself shows the server is up.
 */
export function makeAccessHook(policy: AccessPolicy) {
  let cached: { at: number; names: Set<string> } | null = null
  const addresses = (): Set<string> => {
    if (cached === null || Date.now() - cached.at > 60_000)
      cached = { at: Date.now(), names: localAddresses() }
    return cached.names
  }
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (request.headers.upgrade !== undefined) {
      // A refused upgrade must not leave the socket open (the server could never close).
      reply.raw.once('finish', () => {
        if (reply.statusCode >= 400) request.raw.socket.destroy()
      })
    }
    const port = request.socket.localPort
    const hostHeader = request.headers.host ?? ''
    const host = splitHostHeader(hostHeader)
    if (
      !host ||
      !hostNameAllowed(host.name, policy, addresses) ||
      (port !== undefined && (host.port ?? 80) !== port)
    ) {
      await sendError(
        reply,
        403,
        'BAD_HOST',
        'Host header does not name this server; use the URL printed at start.',
      )
      return
    }
    const origin = request.headers.origin
    if (
      origin !== undefined &&
      origin !== `http://${hostHeader}` &&
      !policy.allowedOrigins.includes(origin)
    ) {
      await sendError(
        reply,
        403,
        'BAD_ORIGIN',
        'Cross-origin requests are refused; open the UI from the server URL.',
      )
      return
    }
    if (
      origin === undefined &&
      request.headers['sec-fetch-site'] === 'cross-site' &&
      isApiPath(request.url)
    ) {
      await sendError(
        reply,
        403,
        'BAD_ORIGIN',
        'Cross-site requests are refused; open the UI from the server URL.',
      )
      return
    }
    await checkToken(request, reply, policy.token)
  }
}

/** A browser opening a page (not the API, not a socket): it gets a page and may exchange `?token=`. */
function isPageVisit(request: FastifyRequest): boolean {
  return (
    request.method === 'GET' && !isApiPath(request.url) && request.headers.upgrade === undefined
  )
}

/**
 * Lets a request through only with the token: `Authorization: Bearer`, or the port's cookie. A
 * page visit with a valid `?token=` (the start address) gets the cookie (HttpOnly, SameSite=Strict)
 * and a redirect to the same URL without the token, so it stays out of history and logs.
 */
async function checkToken(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
): Promise<void> {
  const cookieName = tokenCookieName(request.socket.localPort)
  const fromQuery = isPageVisit(request) ? queryToken(request.url) : undefined
  if (fromQuery !== undefined && tokensEqual(fromQuery, token)) {
    void reply
      .header(
        'set-cookie',
        `${cookieName}=${encodeURIComponent(fromQuery)}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${COOKIE_MAX_AGE_S}`,
      )
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
    await reply.redirect(withoutToken(request.url), 303)
    return
  }
  const given =
    fromQuery === undefined
      ? (bearer(request.headers.authorization) ?? readCookie(request.headers.cookie, cookieName))
      : undefined
  if (given !== undefined && tokensEqual(given, token)) return
  if (isPageVisit(request) && (request.headers.accept ?? '').includes('text/html')) {
    await reply
      .code(401)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(unauthorizedPage())
    return
  }
  await sendError(reply, 401, 'UNAUTHORIZED', UNAUTHORIZED_MESSAGE)
}
