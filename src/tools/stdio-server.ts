import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'

import { callFeatureTool } from './call-tool.js'
import { FEATURE_SERVER_NAME } from './in-process-server.js'
import { acceptRawArguments } from './raw-arguments.js'
import { featureTool, TOOL_SETS } from './registry.js'
import type { ToolName } from './registry.js'
import { StdioLineTransport } from './stdio-line-transport.js'
import type { ToolContext } from './tool-context.js'

/** The feature tools on a standalone MCP server (not yet connected to a transport). */
export function createFeatureMcpServer(
  ctx: ToolContext,
  toolNames: readonly ToolName[] = TOOL_SETS[ctx.role],
): McpServer {
  const server = new McpServer(
    { name: FEATURE_SERVER_NAME, version: '1.0.0' },
    { capabilities: { tools: {} } },
  )
  for (const name of toolNames) {
    const definition = featureTool(name)
    server.registerTool(
      definition.name,
      {
        description: definition.description,
        inputSchema: definition.input,
        annotations: { readOnlyHint: definition.readOnly },
      },
      (args: unknown) => callFeatureTool(definition, ctx, args),
    )
  }
  acceptRawArguments(server)
  return server
}

/**
 * Serves the feature tools over stdin/stdout until stdin ends. Nothing but protocol messages is
 * written to stdout; an oversized or malformed line gets a JSON-RPC error and serving goes on
 * (`StdioLineTransport`).
 */
export async function serveFeatureToolsOverStdio(
  ctx: ToolContext,
  toolNames?: readonly ToolName[],
): Promise<void> {
  const server = createFeatureMcpServer(ctx, toolNames)
  const transport = new StdioLineTransport()
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve()
  })
  await server.connect(transport)
  await closed
}
