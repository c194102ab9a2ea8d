export { callFeatureTool } from './call-tool.js'
export type { ToolCallResult } from './call-tool.js'
export type { FeatureTool } from './define-tool.js'
export { TOOL_ERROR_CODES } from './error-codes.js'
export type { ToolError, ToolErrorCode } from './error-codes.js'
export { MAX_BULK_FEATURES } from './feature-create-bulk.js'
export { MAX_QUESTION_LENGTH } from './feature-ask-human.js'
export { createFeatureToolServer, FEATURE_SERVER_NAME } from './in-process-server.js'
export {
  FEATURE_TOOLS,
  featureTool,
  qualifiedToolNames,
  TOOL_NAMES,
  TOOL_SETS,
} from './registry.js'
export type { ToolName } from './registry.js'
export { createFeatureMcpServer, serveFeatureToolsOverStdio } from './stdio-server.js'
export { isOperator, OPERATOR } from './tool-context.js'
export type { ToolContext, ToolRole } from './tool-context.js'
