import { Writable } from 'node:stream'

import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'

import type { AppError } from '../../../src/core/index.js'
import {
  ERROR_CODES,
  HTTP_STATUS_BY_CODE,
  redactPaths,
  sendAppError,
  statusForCode,
} from '../../../src/server/index.js'
import type { ErrorCode } from '../../../src/server/index.js'

/**
 * The codes whose failure is the server's, its machine's or a bug's, not the client's: they answer
 * 5xx. Every other code of every module answers 4xx.
 */
const SERVER_FAULTS: Readonly<Record<string, number>> = {
  INTERNAL: 500,
  TOOL_FAILED: 500,
  RUN_STARTED: 500,
  RUN_FAILED: 500,
  SPAWN_FAILED: 500,
  NOT_A_DATABASE: 500,
  DATABASE_TOO_NEW: 500,
  DATABASE_OPEN_FAILED: 500,
  MIGRATION_FAILED: 500,
  DIRECTORY_FAILED: 500,
  TOKEN_FILE_FAILED: 500,
  TOKEN_FILE_INVALID: 500,
  POLICY_CONFIG_UNREADABLE: 500,
  POLICY_PARSER_UNAVAILABLE: 500,
  GIT_FAILED: 500,
  TIMEOUT: 500,
  ABORTED: 500,
  INVALID_AGENT_ID: 500,
  BRANCH_NOT_FOUND: 500,
  WORKTREE_BUSY: 500,
  WORKTREE_BRANCH_MISMATCH: 500,
  SANDBOX_START_FAILED: 500,
  SANDBOX_PORT_FAILED: 500,
  SANDBOX_CLOSED: 500,
  SANDBOX_BAD_SPEC: 500,
  PROXY_LISTEN_FAILED: 500,
  MODEL_ERROR: 502,
  GIT_UNAVAILABLE: 503,
  SANDBOX_UNAVAILABLE: 503,
  QUEUE_CLOSED: 503,
  NOT_AVAILABLE: 503,
}

describe('error mapping', () => {
  it('shortens absolute paths so error messages do not reveal the machine layout', () => {
    expect(
      redactPaths('cannot open /home/me/projects/app/.autocoder/autocoder.db', '/home/me'),
    ).toBe('cannot open ~/projects/app/.autocoder/autocoder.db')
    expect(redactPaths('missing /srv/data/x.json; retry', '/home/me')).toBe(
      'missing .../x.json; retry',
    )
    expect(redactPaths('use a/b or 3/4', '/home/me')).toBe('use a/b or 3/4')
  })

  it('has a status for every code of every module and for nothing else', () => {
    expect(Object.keys(HTTP_STATUS_BY_CODE).sort()).toEqual([...ERROR_CODES].sort())
    expect(ERROR_CODES.length).toBeGreaterThan(90)
  })

  it('answers 5xx exactly for the failures that are not the client’s', () => {
    const serverSide = Object.fromEntries(
      ERROR_CODES.filter((code) => statusForCode(code) >= 500).map((code) => [
        code,
        statusForCode(code),
      ]),
    )
    expect(serverSide).toEqual(SERVER_FAULTS)
    for (const code of ERROR_CODES.filter((c) => !(c in SERVER_FAULTS))) {
      const status = statusForCode(code)
      expect([code, status >= 400 && status < 500]).toEqual([code, true])
    }
  })

  it('maps result codes to HTTP statuses in one table', () => {
    expect(
      (['NOT_FOUND', 'POLICY_DENIED', 'ALREADY_RUNNING', 'GIT_FAILED'] as const).map(statusForCode),
    ).toEqual([404, 403, 409, 500])
  })

  it('answers 500 and logs a code that arrives from outside the union', async () => {
    const lines: string[] = []
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString())
        done()
      },
    })
    const app = Fastify({ logger: { level: 'warn', stream } })
    const stray = { code: 'SOMETHING_NEW', message: 'from /srv/x/y.txt' } as unknown
    app.get('/', (_request, reply) => sendAppError(reply, stray as AppError<ErrorCode>, '/home/me'))
    const response = await app.inject({ method: 'GET', url: '/' })
    await app.close()
    expect(response.statusCode).toBe(500)
    expect(response.json()).toEqual({
      error: { code: 'SOMETHING_NEW', message: 'from .../y.txt' },
    })
    expect(lines.join('')).toContain('"code":"SOMETHING_NEW"')
    expect(statusForCode('SOMETHING_NEW' as ErrorCode)).toBe(500)
  })
})
