import { ApiErrorBody } from '@core/api/index.js'
import type { z } from 'zod'

/**
 * A failed request as the UI shows it: what was being done, the server's code and message (which
 * say what to do next), and the HTTP status (0 when the server could not be reached).
 */
export class ApiError extends Error {
  constructor(
    readonly action: string,
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

const NETWORK_HINT =
  'Could not reach the autocoder server. Check that `autocoder ui` (or `npm start`) is still running, then retry.'

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  body?: unknown
  signal?: AbortSignal
}

/**
 * The answer to a GET of `path` that index.html asked for while the code loaded (the first
 * screen's data), once: later reads fetch again.
 */
function prefetched(path: string): Promise<Response> | null {
  const early = (window as { __autocoderPrefetch?: Record<string, Promise<Response> | undefined> })
    .__autocoderPrefetch
  const response = early?.[path]
  if (!early || !response) return null
  delete early[path]
  return response
}

/**
 * Calls the API and parses the answer with the route's own zod schema from src/core. `action`
 * names what the request does ("load the board"), for error messages.
 */
export async function request<S extends z.ZodType>(
  action: string,
  path: string,
  schema: S,
  options: RequestOptions = {},
): Promise<z.output<S>> {
  let response: Response
  try {
    const early = options.method === undefined || options.method === 'GET' ? prefetched(path) : null
    response = await (early ??
      fetch(path, {
        method: options.method ?? 'GET',
        credentials: 'same-origin',
        headers: options.body === undefined ? {} : { 'content-type': 'application/json' },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        ...(options.signal ? { signal: options.signal } : {}),
      }))
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error
    throw new ApiError(action, 'NETWORK', NETWORK_HINT, 0)
  }
  const text = await response.text()
  let json: unknown = null
  try {
    json = text === '' ? null : JSON.parse(text)
  } catch {
    json = null
  }
  if (!response.ok) throw errorOf(action, response.status, json)
  const parsed = schema.safeParse(json)
  if (!parsed.success)
    throw new ApiError(
      action,
      'BAD_RESPONSE',
      `The server's answer did not have the expected shape (${parsed.error.issues[0]?.message ?? 'unknown'}). The UI and server may be from different versions: rebuild with \`npm run build\` and reload.`,
      response.status,
    )
  return parsed.data
}

function errorOf(action: string, status: number, json: unknown): ApiError {
  const body = ApiErrorBody.safeParse(json)
  if (body.success)
    return new ApiError(action, body.data.error.code, body.data.error.message, status)
  if (status === 401 || status === 403)
    return new ApiError(
      action,
      'UNAUTHORIZED',
      'The server refused this browser. Open the address printed by `autocoder ui` (it carries the access token) and retry.',
      status,
    )
  return new ApiError(
    action,
    `HTTP_${status}`,
    `The server answered ${status} without details; see its log, then retry.`,
    status,
  )
}

/** A one-line description of any error for the UI. */
export function describeError(error: unknown): {
  action: string | null
  code: string
  message: string
} {
  if (error instanceof ApiError)
    return { action: error.action, code: error.code, message: error.message }
  if (error instanceof Error) return { action: null, code: 'ERROR', message: error.message }
  return { action: null, code: 'ERROR', message: String(error) }
}
