export { createServer, DEFAULT_BODY_LIMIT_BYTES, DEFAULT_WS_MAX_PAYLOAD_BYTES } from './app.js'
export type { AutocoderServer, ServerOptions } from './app.js'
export { DEFAULT_PORT, PORT_ATTEMPTS, serverUrl, startAddress, startServer } from './start.js'
export type { RunningServer, StartOptions } from './start.js'
export { tokenCookieName } from './access.js'
export { ApiRouter } from './api-router.js'
export type { HttpMethod, RouteDoc, RouteInput, RouteSpec, SocketSpec } from './api-router.js'
export { ERROR_CODES, SERVER_ERROR_CODES } from './error-codes.js'
export type { ErrorCode, ServerError, ServerErrorCode } from './error-codes.js'
export {
  HTTP_STATUS_BY_CODE,
  HttpError,
  redactPaths,
  sendAppError,
  sendError,
  statusForCode,
} from './errors.js'
export { buildOpenApiDocument } from './openapi.js'
export { ProjectName } from './projects.js'
export type { ProjectRef, ProjectResolver } from './projects.js'
export { isSecretEnvName, safeChildEnv } from './child-env.js'
export { Confinement } from './filesystem/confine.js'
export { DevServerManager } from './dev-server/manager.js'
export type {
  CommandChecker,
  CommandDecision,
  DevLogLine,
  DevServerManagerOptions,
} from './dev-server/manager.js'
export { detectDevCommand } from './dev-server/detect-command.js'
export { detectUrl } from './dev-server/detect-url.js'
export { newTerminalId, TerminalManager } from './terminal/manager.js'
export type {
  TerminalAttachment,
  TerminalManagerOptions,
  TerminalSink,
} from './terminal/manager.js'
export { currentWindow, isWindowOpen, nextWindow } from './schedule/window.js'
export { DEFAULT_RESTART_BACKOFF, restartDelayMs, Scheduler } from './schedule/scheduler.js'
export type {
  RestartBackoff,
  ScheduleRunner,
  SchedulerLogger,
  SchedulerOptions,
  ScheduleStore,
} from './schedule/scheduler.js'
export {
  allCommandCheckers,
  checkDevServerRunner,
  DEV_SCRIPTS,
  quoteArgv,
} from './dev-server/runner-policy.js'
export { bashPolicyChecker } from './dev-server/bash-policy-checker.js'
export { builtUiDir, startAutocoderServer } from './autocoder-server.js'
export type { AutocoderApp, AutocoderServerOptions } from './autocoder-server.js'
export { ProjectHub } from './project-hub.js'
export type { OpenProject } from './project-hub.js'
export { ProjectFeed } from './project-feed.js'
export { RunManager } from './run-manager.js'
export type { RunManagerOptions, RunParts, RunPartsFactory, RunPartsInput } from './run-manager.js'
export type { AppServices } from './services.js'
