// The three chats (spec creation, expand project, assistant): routes, sessions, tools.
export { registerChatRoutes } from './routes.js'
export type { ChatDeps } from './routes.js'
export { ChatSession, chatToolGuard, formatAnswers } from './session.js'
export type { ChatModelSetup, ChatSessionContext, InitializerOptions } from './session.js'
export { ChatSessions } from './sessions.js'
export {
  ASSISTANT_FEATURE_TOOLS,
  EXPAND_FEATURE_TOOLS,
  PROFILES,
  READ_ONLY_BUILTINS,
} from './profiles.js'
export type { ChatProfile } from './profiles.js'
export {
  ASK_USER_TOOL,
  CHAT_SERVER_NAME,
  createChatToolServer,
  WRITE_SPEC_TOOL,
} from './chat-tools.js'
export { existingSpecs, readSpec, ROOT_SPEC_PATH, SPEC_PATH, writeSpec } from './spec-files.js'
