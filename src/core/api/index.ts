// HTTP and WebSocket schemas of the server's infrastructure routes, shared with the UI.
export { ApiErrorBody, QueryBoolean } from './errors.js'
export { CredentialSource, HealthResponse, SetupStatus } from './setup.js'
export {
  DirectoryName,
  FsCreateDirectoryBody,
  FsCreateDirectoryResponse,
  FsEntry,
  FsListQuery,
  FsListResponse,
  FsRootsResponse,
  FsValidateBody,
  FsValidateResponse,
} from './filesystem.js'
export { CommandArgv, DevServerEvent, DevServerStartBody, DevServerState, DevServerStatus } from './dev-server.js'
export {
  MAX_TERMINAL_INPUT_BASE64,
  TerminalClientFrame,
  TerminalCreateBody,
  TerminalId,
  TerminalInfo,
  TerminalName,
  TerminalRenameBody,
  TerminalServerFrame,
} from './terminal.js'
export { LocalTime, NewSchedule, Schedule, SchedulePatch, ScheduleWindow, TimeZone, Weekday, WindowTimes } from './schedule.js'
