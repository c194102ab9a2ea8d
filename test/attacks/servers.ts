// The network end of the canaries: a host standing in for the internet, and the real autocoder
// server with every answer it gives recorded.
import { createServer } from 'node:net'
import type { AddressInfo, Server, Socket } from 'node:net'
import { networkInterfaces } from 'node:os'

import { startAutocoderServer } from '../../src/server/index.js'
import type { AutocoderApp } from '../../src/server/index.js'

/** One connection to a canary server: the first bytes sent, and the status answered (HTTP). */
export interface Hit {
  readonly seq: number
  request: string
  status: number | null
}

export interface HitRecorder {
  readonly hits: readonly Hit[]
}

/** An address of this machine other than loopback (a stand-in for a host outside), else 127.0.0.1. */
export function outsideAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const address of list ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address
    }
  }
  return '127.0.0.1'
}

/**
 * A TCP server that records every connection (whatever the protocol: HTTP, gopher, raw bytes) and
 * answers the first bytes with a short HTTP 200.
 */
export async function startOutsideServer(
  host: string,
): Promise<HitRecorder & { port: number; close(): Promise<void> }> {
  const hits: Hit[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    const hit: Hit = { seq: hits.length, request: '', status: null }
    hits.push(hit)
    socket.on('data', (chunk: Buffer) => {
      const first = hit.request === ''
      if (hit.request.length < 8192) hit.request += chunk.toString('latin1').slice(0, 8192)
      if (first) {
        hit.status = 200
        socket.end('HTTP/1.0 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 3\r\n\r\nok\n')
      }
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, resolve)
  })
  return {
    hits,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/**
 * The real autocoder server for AUTOCODER_HOME `autocoderHome`, with a listener beside its own that
 * records each request and the status it got (WebSocket upgrades included: the status line the
 * server writes on the socket).
 */
export async function startRecordedAutocoderServer(
  autocoderHome: string,
  env: NodeJS.ProcessEnv,
): Promise<HitRecorder & { app: AutocoderApp; url: string; port: number }> {
  const app = await startAutocoderServer({
    host: '127.0.0.1',
    port: 0,
    autocoderHome,
    uiDir: null,
    env,
  })
  const hits: Hit[] = []
  const raw = app.app.server
  raw.on('request', (request, response) => {
    const hit: Hit = { seq: hits.length, request: `${request.method} ${request.url}`, status: null }
    hits.push(hit)
    // 'finish' when the answer went out in full; 'close' also when the client left before the end.
    const settle = (): void => {
      if (hit.status === null && response.headersSent) hit.status = response.statusCode
    }
    response.on('finish', settle)
    response.on('close', settle)
  })
  raw.on('upgrade', (request, socket: Socket) => {
    const hit: Hit = {
      seq: hits.length,
      request: `UPGRADE ${request.method} ${request.url}`,
      status: null,
    }
    hits.push(hit)
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean
    socket.write = (...args: unknown[]) => {
      if (hit.status === null) {
        const match = /^HTTP\/1\.[01] (\d{3})/.exec(String(args[0]))
        if (match) hit.status = Number(match[1])
      }
      return write(...args)
    }
  })
  return { app, hits, url: app.url, port: app.port }
}

/** Whether an answer of the autocoder server counts as refused: none at all, or 401. */
export function refusedStatus(status: number | null): boolean {
  return status === null || status === 401
}
