import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { ZodError } from 'zod'

import type { AppError } from '../core/index.js'

/**
 * The one table mapping `Result` error codes to HTTP statuses. Modules own their codes; a code
 * missing here answers 400 (an expected failure is the caller's to fix) and is logged so the table
 * can be completed.
 */
export const HTTP_STATUS_BY_CODE: Readonly<Record<string, number>> = {
  INVALID_INPUT: 400,
  INVALID_PATH: 400,
  NOT_A_DIRECTORY: 400,
  NO_COMMAND: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  BAD_HOST: 403,
  BAD_ORIGIN: 403,
  OUTSIDE_ROOTS: 403,
  BLOCKED_PATH: 403,
  POLICY_DENIED: 403,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  PROJECT_NOT_FOUND: 404,
  FEATURE_NOT_FOUND: 404,
  TERMINAL_NOT_FOUND: 404,
  SCHEDULE_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  ALREADY_EXISTS: 409,
  ALREADY_RUNNING: 409,
  NOT_RUNNING: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  SPAWN_FAILED: 400,
  INTERNAL: 500,
  // projects, features, runs, schedules, settings (routes in src/server/routes)
  INVALID_PROJECT_NAME: 400,
  CONFIRMATION_REQUIRED: 400,
  IMPORT_FAILED: 400,
  SELF_DEPENDENCY: 400,
  UNKNOWN_DEPENDENCY: 400,
  DUPLICATE_DEPENDENCY: 400,
  DEPENDENCY_CYCLE: 400,
  TOO_MANY_DEPENDENCIES: 400,
  DEPENDENCY_NOT_FOUND: 400,
  INVALID_DEPENDENCY_INDEX: 400,
  EMPTY_ANSWER: 400,
  SCHEDULE_LIMIT: 400,
  PROVIDER_INVALID: 400,
  NO_CREDENTIALS: 400,
  INVALID_CONCURRENCY: 400,
  PROJECT_EXISTS: 409,
  PROJECT_LOCKED: 409,
  RUN_ACTIVE: 409,
  INVALID_STATE: 409,
  FEATURE_BUSY: 409,
  NOT_WAITING: 409,
  DUPLICATE_FEATURE_ID: 409,
  DATABASE_OPEN_FAILED: 500,
}

export function statusForCode(code: string): number {
  return HTTP_STATUS_BY_CODE[code] ?? 400
}

/** Thrown inside route plumbing to answer with a coded error; handlers return `Result`s instead. */
export class HttpError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = statusForCode(code),
  ) {
    super(message)
    this.name = 'HttpError'
  }
}

/** `body.name: Too small...; query.path: ...` naming each field that failed. */
export function describeZodError(error: ZodError, location: string): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const field = [location, ...issue.path.map(String)].join('.')
      return `${field}: ${issue.message}`
    })
    .join('; ')
}

const ABSOLUTE_PATH = /(?<![\w.~])\/(?:[\w.@+-]+\/)*[\w.@+-]+/g

/**
 * Replaces absolute filesystem paths in a message with a short form (`~/...` under home, else
 * `.../<basename>`), so error responses never reveal the machine's layout.
 */
export function redactPaths(message: string, homeDir: string): string {
  return message.replace(ABSOLUTE_PATH, (path) => {
    if (homeDir !== '/' && (path === homeDir || path.startsWith(`${homeDir}/`)))
      return `~${path.slice(homeDir.length)}`
    const base = path.slice(path.lastIndexOf('/') + 1)
    return `.../${base}`
  })
}

export function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
): FastifyReply {
  return reply.code(status).type('application/json').send({ error: { code, message } })
}

/** Answers with an `AppError` from a `Result`, paths redacted. */
export function sendAppError(reply: FastifyReply, error: AppError, homeDir: string): FastifyReply {
  const status = HTTP_STATUS_BY_CODE[error.code]
  if (status === undefined)
    reply.log.warn({ code: error.code }, 'error code missing from HTTP_STATUS_BY_CODE')
  return sendError(reply, status ?? 400, error.code, redactPaths(error.message, homeDir))
}

const FASTIFY_CODES: Readonly<Record<string, { status: number; code: string; message: string }>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: 'Request body is too large.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Unsupported Content-Type; send application/json.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'INVALID_INPUT',
    message:
      'Body is empty but Content-Type is application/json; send a JSON body or no Content-Type.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'INVALID_INPUT',
    message: 'Body is not valid JSON.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'INVALID_INPUT',
    message: 'Invalid Content-Length.',
  },
}

/**
 * The error handler: known errors become coded 4xx answers; anything else is logged and answered
 * with a generic 500 that carries no message, path or stack from the failure.
 */
export function makeErrorHandler(homeDir: string) {
  return (
    error: FastifyError | Error,
    request: FastifyRequest,
    reply: FastifyReply,
  ): FastifyReply => {
    if (error instanceof HttpError)
      return sendError(reply, error.status, error.code, redactPaths(error.message, homeDir))
    if (error instanceof ZodError)
      return sendError(reply, 400, 'INVALID_INPUT', describeZodError(error, 'input'))
    const fastifyCode = 'code' in error ? error.code : undefined
    const known = fastifyCode === undefined ? undefined : FASTIFY_CODES[fastifyCode]
    if (known) return sendError(reply, known.status, known.code, known.message)
    if (error instanceof SyntaxError && 'statusCode' in error && error.statusCode === 400) {
      return sendError(reply, 400, 'INVALID_INPUT', 'Body is not valid JSON.')
    }
    const statusCode =
      'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500
    if (statusCode >= 400 && statusCode < 500) {
      return sendError(
        reply,
        statusCode,
        'INVALID_INPUT',
        'The request could not be processed; check its format.',
      )
    }
    request.log.error({ err: error }, 'unhandled error')
    return sendError(reply, 500, 'INTERNAL', 'Internal server error; see the server log.')
  }
}
