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
export {
  CommandArgv,
  DevServerEvent,
  DevServerStartBody,
  DevServerState,
  DevServerStatus,
} from './dev-server.js'
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
export {
  LocalTime,
  NewSchedule,
  Schedule,
  SchedulePatch,
  ScheduleWindow,
  TimeZone,
  Weekday,
  WindowTimes,
} from './schedule.js'
export {
  ChatAttachment,
  ChatClientFrame,
  ChatKind,
  ChatMessage,
  ChatQuestion,
  ChatRole,
  ChatServerFrame,
  ChatSessionId,
  ChatSessionInfo,
  Conversation,
  ConversationId,
  ConversationSummary,
  CreatedFeature,
  MAX_ATTACHMENT_BYTES,
  MAX_CHAT_MESSAGE_CHARS,
  SpecStatus,
} from './chat.js'
export {
  ProjectCreateBody,
  ProjectDeleteQuery,
  ProjectDeleteResponse,
  ProjectImportBody,
  ProjectImportResponse,
  ProjectNameSchema,
  ProjectPatchBody,
  ProjectStatsView,
  ProjectSummary,
} from './projects.js'
export {
  DependenciesBody,
  DependencyParams,
  FeatureBulkBody,
  FeatureBulkResponse,
  FeatureDeleteResponse,
  FeatureDetail,
  FeatureDiff,
  FeatureGraph,
  FeatureListQuery,
  FeatureListResponse,
  FeatureParams,
  FeatureView,
  GraphStatus,
  MAX_BULK_FEATURES,
} from './features.js'
export {
  AnswerBody,
  ConcurrencyBody,
  DrainBody,
  RunAgentView,
  RunHistory,
  RunHistoryQuery,
  RunMode,
  RunStartBody,
  RunStatusView,
  SessionsQuery,
  SessionsResponse,
  SessionView,
} from './runs.js'
export {
  EffectiveSettings,
  parseStoredSettings,
  PolicyView,
  ProjectSettings,
  SECRET_SETTING_KEYS,
  SETTING_NAMES,
  SettingsPatch,
  SettingsView,
} from './settings.js'
export {
  EventsQuery,
  EventsResponse,
  ProjectClientFrame,
  ProjectServerFrame,
  ProjectSnapshot,
  ProjectSocketQuery,
  StoredEvent,
} from './project-socket.js'
