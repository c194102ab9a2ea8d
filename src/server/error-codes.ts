import type { AppError } from '../core/index.js'
import { MODULE_ERROR_CODES } from '../orchestrator/index.js'
import type { ModuleErrorCode } from '../orchestrator/index.js'

/** Codes of the expected failures of the server itself (HTTP routes, WebSocket frames, chats). */
export const SERVER_ERROR_CODES = [
  /** A request part (params, query, body, frame) does not match its schema. */
  'INVALID_INPUT',
  /** A path in a request is malformed (relative, `..`, a separator in a name). */
  'INVALID_PATH',
  /** A path names something that is not a directory. */
  'NOT_A_DIRECTORY',
  /** No dev-server command was given and none could be detected. */
  'NO_COMMAND',
  /** A destructive request without its confirmation field. */
  'CONFIRMATION_REQUIRED',
  /** A chat attachment is not an accepted image or is too large. */
  'INVALID_ATTACHMENT',
  /** No or a wrong server token. */
  'UNAUTHORIZED',
  /** The Host header is not the server's. */
  'BAD_HOST',
  /** The Origin header is not the server's. */
  'BAD_ORIGIN',
  /** A path outside the roots the file browser may show. */
  'OUTSIDE_ROOTS',
  /** A path the server never shows (credentials, system folders). */
  'BLOCKED_PATH',
  /** The command policy refused a command (the dev server's). */
  'POLICY_DENIED',
  /** The operating system refused access to a path. */
  'PERMISSION_DENIED',
  /** The thing a request names does not exist. */
  'NOT_FOUND',
  /** No terminal has this id. */
  'TERMINAL_NOT_FOUND',
  /** No route has this method and URL. */
  'ROUTE_NOT_FOUND',
  /** The folder to create exists already. */
  'ALREADY_EXISTS',
  /** A run or dev server of the project is running already. */
  'ALREADY_RUNNING',
  /** The project has no run (or dev server) in this server. */
  'NOT_RUNNING',
  /** The change is refused while the project's run is active. */
  'RUN_ACTIVE',
  /** The feature is held by an agent; wait or stop the run. */
  'FEATURE_BUSY',
  /** The chat's model is still answering. */
  'BUSY',
  /** A chat message before a conversation was started. */
  'NO_CONVERSATION',
  /** A chat confirmation with no draft waiting. */
  'NOTHING_TO_CONFIRM',
  /** The initializer was asked for before the spec was written. */
  'NO_SPEC',
  /** The server cannot do this here (it has no run manager). */
  'NOT_AVAILABLE',
  /** The request body is over the limit. */
  'PAYLOAD_TOO_LARGE',
  /** The request body is not JSON. */
  'UNSUPPORTED_MEDIA_TYPE',
  /** A process (dev server) could not be started. */
  'SPAWN_FAILED',
  /** The chat's model failed to answer. */
  'MODEL_ERROR',
  /** A bug or an unexpected failure; details only in the server log. */
  'INTERNAL',
] as const

export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[number]

/** Every code any module can put in a `Result`: what the server may have to answer with. */
export type ErrorCode = ModuleErrorCode | ServerErrorCode

/** A failure the server may answer with: any module's code. */
export type ServerError = AppError<ErrorCode>

/** The codes of every module, each once. */
export const ERROR_CODES: readonly ErrorCode[] = [
  ...new Set<ErrorCode>([...MODULE_ERROR_CODES, ...SERVER_ERROR_CODES]),
]
