import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { ZodError } from 'zod'

import type { AppError } from '../core/index.js'
import type { ErrorCode } from './error-codes.js'

/**
 * The one table mapping every module's `Result` error codes to HTTP statuses. It is a
 * `Record<ErrorCode, number>`, so a code added to a module's list without a status here fails to
 * compile. 4xx: the request (or the project a person controls) must change; 5xx: the server, its
 * machine or a bug is at fault and the same request may work later.
 */
export const HTTP_STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  // the request is malformed or asks for something the state does not allow (fix the request)
  INVALID_INPUT: 400,
  INVALID_PATH: 400,
  NOT_A_DIRECTORY: 400,
  NO_COMMAND: 400,
  CONFIRMATION_REQUIRED: 400,
  INVALID_ATTACHMENT: 400,
  INVALID_PROJECT_NAME: 400,
  INVALID_CONCURRENCY: 400,
  IMPORT_FAILED: 400,
  SELF_DEPENDENCY: 400,
  UNKNOWN_DEPENDENCY: 400,
  DUPLICATE_DEPENDENCY: 400,
  DEPENDENCY_CYCLE: 400,
  TOO_MANY_DEPENDENCIES: 400,
  DEPENDENCY_NOT_FOUND: 400,
  INVALID_DEPENDENCY_INDEX: 400,
  FORWARD_REFERENCE: 400,
  EMPTY_ANSWER: 400,
  SCHEDULE_LIMIT: 400,
  SETTINGS_INVALID: 400,
  TRANSITION_FORBIDDEN: 400,
  ALREADY_PASSING: 400,
  ALREADY_SKIPPED: 400,
  ALREADY_IN_PROGRESS: 400,
  ALREADY_REPORTED: 400,
  ALREADY_INITIALIZED: 400,
  FEATURE_CLAIMED: 400,
  NOT_CLAIMED: 400,
  NOT_ASSIGNED: 400,
  NO_FEATURES: 400,
  // the project's own files or settings need a person's fix (the request names that project)
  PROVIDER_INVALID: 400,
  NO_CREDENTIALS: 400,
  NO_APP_SPEC: 400,
  PROMPT_NOT_FOUND: 400,
  PROMPT_PLACEHOLDER_UNKNOWN: 400,
  PROMPT_SYNTAX: 400,
  PROMPT_NO_FEATURES: 400,
  POLICY_CONFIG_INVALID: 400,
  POLICY_CONFIG_REJECTED: 400,
  BARE_REPOSITORY: 400,
  DETACHED_HEAD: 400,
  AGENT_BRANCH: 400,
  CHECKOUT_CONFLICT: 400,
  CHECKOUT_BUSY: 400,
  BRANCH_MOVED: 400,
  DEMO_INVALID: 400,
  DEMO_DIR_NOT_EMPTY: 400,
  DEMO_NOT_PREPARED: 400,
  UNAUTHORIZED: 401,
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
  ALREADY_EXISTS: 409,
  ALREADY_RUNNING: 409,
  NOT_RUNNING: 409,
  PROJECT_EXISTS: 409,
  PROJECT_LOCKED: 409,
  RUN_ACTIVE: 409,
  INVALID_STATE: 409,
  FEATURE_BUSY: 409,
  NOT_WAITING: 409,
  DUPLICATE_FEATURE_ID: 409,
  BUSY: 409,
  NO_CONVERSATION: 409,
  NOTHING_TO_CONFIRM: 409,
  NO_SPEC: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  // our fault: a bug, our database, git, a process we start, an invariant we broke
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
  // something upstream failed (the model API)
  MODEL_ERROR: 502,
  // the machine cannot do it now (a tool missing, shutting down): the same request may work later
  GIT_UNAVAILABLE: 503,
  SANDBOX_UNAVAILABLE: 503,
  QUEUE_CLOSED: 503,
  NOT_AVAILABLE: 503,
}

/** What the server answers for a code that reached it from outside the union (a bug). */
const UNKNOWN_CODE_STATUS = 500

/** The status of a code; a code outside the union (impossible unless a module lies) is a 500. */
export function statusForCode(code: ErrorCode): number {
  return Object.hasOwn(HTTP_STATUS_BY_CODE, code) ? HTTP_STATUS_BY_CODE[code] : UNKNOWN_CODE_STATUS
}

/** Thrown inside route plumbing to answer with a coded error; handlers return `Result`s instead. */
export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
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
  code: ErrorCode,
  message: string,
): FastifyReply {
  return reply.code(status).type('application/json').send({ error: { code, message } })
}

/**
 * Answers with an `AppError` from a `Result`, paths redacted. A code outside the union (the types
 * make it impossible; a cast or a bad module could still do it) answers 500 and is logged.
 */
export function sendAppError(
  reply: FastifyReply,
  error: AppError<ErrorCode>,
  homeDir: string,
): FastifyReply {
  if (!Object.hasOwn(HTTP_STATUS_BY_CODE, error.code))
    reply.log.error({ code: error.code }, 'error code missing from HTTP_STATUS_BY_CODE')
  return sendError(
    reply,
    statusForCode(error.code),
    error.code,
    redactPaths(error.message, homeDir),
  )
}

const FASTIFY_CODES: Readonly<
  Record<string, { status: number; code: ErrorCode; message: string }>
> = {
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
