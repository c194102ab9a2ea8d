import type { AutocoderServer, ServerOptions } from './app.js'
import { createServer } from './app.js'

export const DEFAULT_PORT = 8888
/** Ports tried in turn before asking the OS for any free one (as the reference does). */
export const PORT_ATTEMPTS = 10

export interface StartOptions extends ServerOptions {
  /** First port to try (default 8888; 0 asks the OS for any free port). */
  port?: number
  /** Use exactly `port` and fail if it is taken. */
  strictPort?: boolean
  /**
   * Called once listening, e.g. to print the start address: `urlWithToken` opened in a browser
   * sets the token cookie. Print it only to the person who started the server, never to a log.
   */
  onListening?: (info: { url: string; urlWithToken: string; port: number }) => void
  /** Called before listening so callers can add routes through `server.api`. */
  configure?: (server: AutocoderServer) => void | Promise<void>
}

export interface RunningServer extends AutocoderServer {
  port: number
  /** `http://host:port` */
  url: string
  close(): Promise<void>
}

/** `http://host:port` as a person should type it (a wildcard bind is shown as localhost). */
export function serverUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`
}

/** The start address: opened in a browser, it sets the token cookie and redirects to `/`. */
export function startAddress(url: string, token: string): string {
  return `${url}/?token=${token}`
}

function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
}

/**
 * Creates the server and listens on `host` (default 127.0.0.1) and `port` (default 8888). When the
 * port is taken it tries the next ones (8888..8897), then any free port.
 */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const server = await createServer(options)
  await options.configure?.(server)
  const host = server.host
  const first = options.port ?? DEFAULT_PORT
  const candidates =
    first === 0
      ? [0]
      : options.strictPort
        ? [first]
        : [
            ...Array.from({ length: PORT_ATTEMPTS }, (_, i) => first + i).filter((p) => p <= 65535),
            0,
          ]
  let lastError: unknown
  for (const port of candidates) {
    try {
      await server.app.listen({ host, port })
      lastError = undefined
      break
    } catch (error) {
      if (!isAddressInUse(error)) {
        await server.app.close()
        throw error
      }
      lastError = error
    }
  }
  if (lastError !== undefined) {
    await server.app.close()
    throw new Error(`No free port from ${first}: ${String((lastError as Error).message)}`, {
      cause: lastError,
    })
  }
  const address = server.app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : first
  const url = serverUrl(host, port)
  options.onListening?.({ url, urlWithToken: startAddress(url, server.token), port })
  return { ...server, port, url, close: () => server.app.close() }
}
