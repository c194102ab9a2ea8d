/**
 * MCP servers (ours over stdio and the Agent SDK's in-process one) validate tool arguments against
 * the registered zod shape before the handler runs, reply with their own wording and never reach
 * our handler, so the call would not be logged. We register the shapes (the model still sees their
 * JSON schema) but let arguments through unvalidated: `callFeatureTool` parses them with the same
 * schema, answers in our wording and logs the call. Both McpServer copies (the SDK bundles one)
 * route every call through `validateToolInput`; tests cover both, so an SDK change shows at once.
 */
export function acceptRawArguments(server: object): void {
  const target = server as { validateToolInput?: unknown }
  if (typeof target.validateToolInput !== 'function') {
    throw new Error(
      'McpServer.validateToolInput is gone: the MCP SDK changed; update acceptRawArguments',
    )
  }
  target.validateToolInput = (_tool: unknown, args: unknown): Promise<unknown> =>
    Promise.resolve(args ?? {})
}
