import { createSdkMcpServer, tool } from '@anthropic-ai/claude-agent-sdk'
import type { McpSdkServerConfigWithInstance } from '@anthropic-ai/claude-agent-sdk'

import { callFeatureTool } from './call-tool.js'
import { acceptRawArguments } from './raw-arguments.js'
import { featureTool, TOOL_SETS } from './registry.js'
import type { ToolName } from './registry.js'
import type { ToolContext } from './tool-context.js'

/** The MCP server name: the model sees the tools as `mcp__features__<name>`. */
export const FEATURE_SERVER_NAME = 'features'

/**
 * The feature tools as an in-process MCP server for the Agent SDK (`options.mcpServers.features`).
 * Every call runs as `ctx.callerId`; only `toolNames` (by default the role's set) are exposed.
 */
export function createFeatureToolServer(
  ctx: ToolContext,
  toolNames: readonly ToolName[] = TOOL_SETS[ctx.role],
): McpSdkServerConfigWithInstance {
  const tools = toolNames.map((name) => {
    const definition = featureTool(name)
    return tool(
      definition.name,
      definition.description,
      definition.input,
      (args) => Promise.resolve(callFeatureTool(definition, ctx, args)),
      { annotations: { readOnlyHint: definition.readOnly }, alwaysLoad: true },
    )
  })
  const server = createSdkMcpServer({
    name: FEATURE_SERVER_NAME,
    version: '1.0.0',
    tools,
    alwaysLoad: true,
  })
  acceptRawArguments(server.instance)
  return server
}
