import { randomBytes, timingSafeEqual } from 'node:crypto'
import { networkInterfaces } from 'node:os'

import type { FastifyReply, FastifyRequest } from 'fastify'

import { sendError } from './errors.js'

/** Who may talk to the server. Built once by `createServer`. */
export interface AccessPolicy {
  /** The host the server listens on. */
  boundHost: string
  /** Required on every request when not null (always set for a non-loopback bind). */
  token: string | null
  /** Extra `Host` names accepted (for a reverse proxy or a LAN name); loopback names always are. */
  allowedHosts: readonly string[]
  /** Extra origins accepted besides same-origin, such as the Vite dev server `http://localhost:5173`. */
  allowedOrigins: readonly string[]
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]'])
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]'])

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host)
}

/** A fresh access token: 256 random bits, URL-safe. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url')
}

export function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The cookie carrying the token for a browser; port-specific because cookies ignore ports. */
export function tokenCookieName(port: number | undefined): string {
  return port === undefined ? 'autocoder_token' : `autocoder_token_${port}`
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

function queryToken(url: string): string | undefined {
  const index = url.indexOf('?')
  if (index < 0) return undefined
  return new URLSearchParams(url.slice(index + 1)).get('token') ?? undefined
}

function isApiPath(url: string): boolean {
  return url.startsWith('/api/') || url === '/api' || url.startsWith('/ws/')
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
 * 3. with a token configured, it must come as `Authorization: Bearer`, the port's cookie, or
 *    `?token=` (a browser visiting `/?token=...` gets the cookie and is redirected without it).
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
    if (policy.token === null) return
    const cookieName = tokenCookieName(port)
    const fromQuery = queryToken(request.url)
    const given =
      bearer(request.headers.authorization) ??
      readCookie(request.headers.cookie, cookieName) ??
      fromQuery
    if (given === undefined || !tokensEqual(given, policy.token)) {
      await sendError(
        reply,
        401,
        'UNAUTHORIZED',
        'A valid access token is required; open the URL with ?token= printed at start or send Authorization: Bearer <token>.',
      )
      return
    }
    if (
      fromQuery !== undefined &&
      request.method === 'GET' &&
      !isApiPath(request.url) &&
      request.headers.upgrade === undefined
    ) {
      void reply.header(
        'set-cookie',
        `${cookieName}=${encodeURIComponent(given)}; HttpOnly; SameSite=Strict; Path=/`,
      )
      await reply.redirect(withoutToken(request.url), 303)
    }
  }
}
