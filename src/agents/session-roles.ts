import type { ChatKind } from '../core/api/index.js'
import { TOOL_SETS } from '../tools/index.js'
import type { ToolName, ToolRole } from '../tools/index.js'
import type { AgentRoleName } from './prompts.js'

/** Every kind of model session: the three agents and the UI's three chats. */
export type SessionRole = AgentRoleName | ChatKind

/** Built-in Claude Code tools every agent gets. */
export const BUILTIN_TOOLS = ['Read', 'Write', 'Edit', 'Glob', 'Grep', 'Bash'] as const

/** Built-in tools that only read (the chats). */
export const READ_ONLY_BUILTINS = ['Read', 'Glob', 'Grep'] as const

/** The MCP server of a chat's own tools (served by the chat): the model sees `mcp__chat__<name>`. */
export const CHAT_SERVER_NAME = 'chat'
export const ASK_USER_TOOL = `mcp__${CHAT_SERVER_NAME}__ask_user`
export const WRITE_SPEC_TOOL = `mcp__${CHAT_SERVER_NAME}__write_app_spec`

/** Feature tools of the expand chat: look at the board and add to it. */
export const EXPAND_FEATURE_TOOLS: readonly ToolName[] = [
  'feature_get_stats',
  'feature_get_summary',
  'feature_create_bulk',
  'feature_create',
]

/** Feature tools of the assistant: read only. */
export const ASSISTANT_FEATURE_TOOLS: readonly ToolName[] = [
  'feature_get_stats',
  'feature_get_summary',
  'feature_get_by_id',
  'feature_get_ready',
  'feature_get_blocked',
  'feature_get_graph',
  'feature_get_notes',
]

/** What a kind of session may use. The one table: whoever starts a session, its role decides. */
export interface SessionRoleTools {
  builtins: readonly string[]
  /** Feature tools, served in-process as `mcp__features__<name>`. */
  featureTools: readonly ToolName[]
  /** The role the feature tools act as. */
  toolRole: ToolRole
  /** Tools of the caller's own MCP server (the chats' `mcp__chat__...`). */
  ownTools: readonly string[]
  /** May get the browser (Playwright) tools when Chromium is available and not in fast mode. */
  browser: boolean
}

const agent = (role: AgentRoleName): SessionRoleTools => ({
  builtins: BUILTIN_TOOLS,
  featureTools: TOOL_SETS[role],
  toolRole: role,
  ownTools: [],
  browser: true,
})

export const SESSION_ROLES: Readonly<Record<SessionRole, SessionRoleTools>> = {
  initializer: agent('initializer'),
  coding: agent('coding'),
  testing: agent('testing'),
  spec: {
    builtins: READ_ONLY_BUILTINS,
    featureTools: [],
    toolRole: 'initializer',
    ownTools: [ASK_USER_TOOL, WRITE_SPEC_TOOL],
    browser: false,
  },
  expand: {
    builtins: READ_ONLY_BUILTINS,
    featureTools: EXPAND_FEATURE_TOOLS,
    // Creating features is the initializer's right; the tools run as the chat's caller id.
    toolRole: 'initializer',
    ownTools: [ASK_USER_TOOL],
    browser: false,
  },
  assistant: {
    builtins: READ_ONLY_BUILTINS,
    featureTools: ASSISTANT_FEATURE_TOOLS,
    toolRole: 'coding',
    ownTools: [],
    browser: false,
  },
}

/** Whether a role is one of the three agents (Bash, a checkout, the session loop). */
export function isAgentRole(role: SessionRole): role is AgentRoleName {
  return role === 'initializer' || role === 'coding' || role === 'testing'
}
