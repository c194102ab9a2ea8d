import { lookup } from 'node:dns/promises'
import { createServer, request as httpRequest } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { connect, isIP } from 'node:net'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'

import { err, ok } from '../core/index.js'
import type { AppError, Result } from '../core/index.js'
import { isInternalAddress, matchingPatterns } from './host-allowlist.js'
import type { HostPattern } from './host-allowlist.js'

/** One decision of the proxy, for logs and tests. */
export interface ProxyDecision {
  host: string
  port: number
  allowed: boolean
  reason: string
}

export interface NetworkProxyOptions {
  label: string
  patterns: readonly HostPattern[]
  onDecision?: ((decision: ProxyDecision) => void) | undefined
}

/** How long a tunnel's client may keep sending after the target closed, before it is cut. */
const HALF_CLOSED_MS = 5_000

type Target = { ok: true; address: string } | { ok: false; reason: string }

/**
 * Decides where `host:port` may go: only a listed host, and an internal address (loopback,
 * private, link-local) only when an entry names it with its port. Resolves once and returns the
 * address to connect to, so a name cannot resolve to another address between check and connect.
 */
export async function resolveTarget(
  patterns: readonly HostPattern[],
  host: string,
  port: number,
): Promise<Target> {
  const matches = matchingPatterns(patterns, host, port)
  if (matches.length === 0)
    return { ok: false, reason: `${host}:${port} is not in the sandbox's allowed hosts` }
  const explicit = matches.some((pattern) => pattern.port !== null && !pattern.wildcard)
  let addresses: string[]
  try {
    const bare = host.replace(/^\[|\]$/g, '')
    addresses =
      isIP(bare) !== 0 ? [bare] : (await lookup(bare, { all: true })).map((a) => a.address)
  } catch (error) {
    return { ok: false, reason: `${host} does not resolve (${(error as Error).message})` }
  }
  const usable = explicit ? addresses : addresses.filter((a) => !isInternalAddress(a))
  const address = usable[0]
  if (address === undefined)
    return {
      ok: false,
      reason: `${host} resolves to a local or private address; list it as "${host}:${port}" to allow it`,
    }
  return { ok: true, address }
}

function splitHostPort(authority: string, defaultPort: number): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(authority)
  return {
    host: (match?.[1] ?? '').replace(/^\[|\]$/g, ''),
    port: match?.[2] !== undefined ? Number(match[2]) : defaultPort,
  }
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
])

/** Headers without the hop-by-hop ones (each side of the proxy negotiates its own connection). */
function endToEnd(headers: IncomingMessage['headers']): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value
  return kept
}

function refuse(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain', connection: 'close' })
  response.end(`${text}\n`)
}

/** The host side of a sandbox's network. */
export interface NetworkProxy {
  /** Listens on a unix socket (or a TCP port on 127.0.0.1 when given a number; 0 picks one). */
  listen(where: string | number): Promise<Result<number | null, AppError<'PROXY_LISTEN_FAILED'>>>
  /** Stops listening and cuts every open connection and tunnel. */
  close(): Promise<void>
}

/**
 * The host side of a sandbox's network: an HTTP proxy (plain requests and CONNECT tunnels) that
 * the sandbox reaches through its in-sandbox relay. Only allowed hosts pass.
 */
export function createNetworkProxy(options: NetworkProxyOptions): NetworkProxy {
  const decide = async (host: string, port: number): Promise<Target> => {
    const target = await resolveTarget(options.patterns, host, port)
    options.onDecision?.({
      host,
      port,
      allowed: target.ok,
      reason: target.ok ? `allowed (${target.address})` : target.reason,
    })
    return target
  }
  // Every socket on either side, so that close() cuts them all (half-open ones too).
  const sockets = new Set<Socket>()
  const track = (socket: Socket): void => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  }
  const context: ProxyContext = { decide, label: options.label, track }
  const server = createServer((request, response) => {
    void forward(request, response, context)
  })
  server.on('connect', (request: IncomingMessage, client: Duplex, head: Buffer) => {
    void tunnel(request, client, head, context)
  })
  server.on('clientError', (_error, socket) => socket.destroy())
  server.on('connection', track)
  return {
    listen: (where) =>
      new Promise((resolve) => {
        server.once('error', (error) =>
          resolve(
            err('PROXY_LISTEN_FAILED', `The sandbox proxy could not listen: ${error.message}`),
          ),
        )
        const done = (): void => {
          const address = server.address()
          resolve(ok(typeof address === 'object' && address !== null ? address.port : null))
        }
        if (typeof where === 'number') server.listen(where, '127.0.0.1', done)
        else server.listen(where, done)
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      }),
  }
}

interface ProxyContext {
  decide: (host: string, port: number) => Promise<Target>
  label: string
  track: (socket: Socket) => void
}

async function forward(
  request: IncomingMessage,
  response: ServerResponse,
  { decide, label, track }: ProxyContext,
): Promise<void> {
  let url: URL
  try {
    url = new URL(request.url ?? '')
  } catch {
    refuse(response, 400, `autocoder sandbox ${label}: send absolute http:// URLs to the proxy`)
    return
  }
  if (url.protocol !== 'http:') {
    refuse(response, 400, `autocoder sandbox ${label}: only http:// (and CONNECT) pass the proxy`)
    return
  }
  const { host, port } = splitHostPort(url.host, 80)
  const target = await decide(host, port)
  if (!target.ok) {
    refuse(response, 403, `autocoder sandbox ${label}: ${target.reason}`)
    return
  }
  const upstream = httpRequest(
    {
      host: target.address,
      port,
      method: request.method,
      path: `${url.pathname}${url.search}`,
      headers: { ...endToEnd(request.headers), host: url.host, connection: 'close' },
      setHost: false,
      agent: false,
    },
    (reply) => {
      response.writeHead(reply.statusCode ?? 502, endToEnd(reply.headers))
      reply.pipe(response)
      reply.once('end', () => reply.socket.destroy())
    },
  )
  upstream.once('socket', track)
  response.once('close', () => upstream.destroy())
  upstream.on('error', (error) => {
    if (!response.headersSent)
      refuse(response, 502, `autocoder sandbox ${label}: ${host}:${port}: ${error.message}`)
    // A target that answered and closed while the request body was still coming fails the rest
    // of the upload; the whole answer is already on its way, so only a cut answer is cut off.
    else if (!response.writableEnded) response.destroy()
  })
  request.pipe(upstream)
}

/**
 * Ends the client's side with `text` and swallows what it still sends until it closes (at most
 * HALF_CLOSED_MS). Cutting it at once made the in-sandbox relay fail its next write and drop the
 * reply it had not passed on yet (e.g. a server that answers and closes before reading the whole
 * request, or a refusal sent while the client still writes).
 */
function finishClient(client: Duplex, text?: string): void {
  client.resume()
  if (text === undefined) client.end()
  else client.end(text)
  setTimeout(() => client.destroy(), HALF_CLOSED_MS).unref()
}

async function tunnel(
  request: IncomingMessage,
  client: Duplex,
  head: Buffer,
  { decide, label, track }: ProxyContext,
): Promise<void> {
  client.on('error', () => client.destroy())
  const { host, port } = splitHostPort(request.url ?? '', 443)
  const target =
    host === '' ? ({ ok: false, reason: 'no host' } as const) : await decide(host, port)
  if (!target.ok) {
    finishClient(
      client,
      `HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nautocoder sandbox ${label}: ${target.reason}\n`,
    )
    return
  }
  let established = false
  const upstream: Socket = connect({ host: target.address, port }, () => {
    established = true
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
    if (head.length > 0) upstream.write(head)
    upstream.pipe(client, { end: false })
    client.pipe(upstream)
  })
  upstream.on('error', (error) => {
    if (established) client.destroy()
    else if (client.writable)
      finishClient(
        client,
        `HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\n\r\nautocoder sandbox ${label}: ${host}:${port}: ${error.message}\n`,
      )
  })
  // The target said all it will: stop feeding it, pass its end on.
  upstream.once('end', () => {
    client.unpipe(upstream)
    finishClient(client)
  })
  track(upstream)
  client.on('close', () => upstream.destroy())
}
