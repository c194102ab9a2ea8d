import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'

import { unwrap } from '../../src/core/index.js'
import type { AgentKind, FeatureState } from '../../src/core/index.js'
import type { ProjectStore } from '../../src/store/index.js'
import { createFeatureToolServer } from '../../src/tools/index.js'
import type { ToolContext, ToolName } from '../../src/tools/index.js'
import { cliArgv, repoRoot } from './cli.js'

/** A tool result as a test sees it: the parsed JSON text and whether it is an error. */
export interface Reply {
  isError: boolean
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are free-form JSON; tests read fields directly
  body: any
  text: string
}

/** Something that calls feature tools as one caller: the in-process server or a stdio process. */
export interface ToolClient {
  caller: string
  call(name: string, args?: unknown): Promise<Reply>
  listTools(): Promise<string[]>
  close(): Promise<void>
}

function toReply(result: unknown): Reply {
  const { content, isError } = result as {
    content: Array<{ type: string; text: string }>
    isError?: boolean
  }
  const text = content[0]?.text ?? ''
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = text
  }
  return { isError: isError === true, body, text }
}

function wrap(client: Client, caller: string, onClose: () => Promise<void>): ToolClient {
  return {
    caller,
    call: async (name, args) =>
      toReply(
        await client.callTool({ name, arguments: args as Record<string, unknown> | undefined }),
      ),
    listTools: async () => (await client.listTools()).tools.map((tool) => tool.name),
    close: async () => {
      await client.close()
      await onClose()
    },
  }
}

/**
 * An MCP client connected to the in-process (Agent SDK) feature server through a linked in-memory
 * transport: calls take exactly the path the SDK takes (McpServer -> tool handler).
 */
export async function inProcessClient(
  ctx: ToolContext,
  names?: readonly ToolName[],
): Promise<ToolClient> {
  const server = createFeatureToolServer(ctx, names)
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair()
  await server.instance.connect(serverSide)
  const client = new Client({ name: 'test', version: '1.0.0' })
  await client.connect(clientSide)
  return wrap(client, ctx.callerId, () => server.instance.close())
}

/** An MCP client talking to `autocoder mcp` (run from source) over stdio. */
export async function stdioClient(
  projectDir: string,
  options: { agentId?: string; role?: string } = {},
): Promise<ToolClient> {
  const extra = [
    ...(options.agentId ? ['--agent-id', options.agentId] : []),
    ...(options.role ? ['--role', options.role] : []),
  ]
  const [command, ...args] = cliArgv('mcp', '--project', projectDir, ...extra)
  const transport = new StdioClientTransport({
    command: command!,
    args,
    cwd: repoRoot,
    stderr: 'pipe',
  })
  // Drain stderr (a full pipe would block the server); keep its tail to explain a failed start.
  let stderr = ''
  transport.stderr?.on(
    'data',
    (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)),
  )
  const client = new Client({ name: 'test', version: '1.0.0' })
  try {
    await client.connect(transport)
  } catch (cause) {
    throw new Error(`autocoder mcp did not start: ${stderr}`, { cause })
  }
  return wrap(client, options.agentId ?? 'operator', () => Promise.resolve())
}

export interface FeatureSetup {
  name?: string
  state?: FeatureState
  deps?: number[]
  claimedBy?: string
  kind?: AgentKind
}

/** Adds a feature straight through the store (test setup), optionally in a state and claimed. */
export function addFeature(store: ProjectStore, setup: FeatureSetup = {}): number {
  const [created] = unwrap(
    store.features.create(
      [
        {
          category: 'test',
          name: setup.name ?? 'a feature',
          description: 'what it does',
          steps: ['check it'],
          dependencies: setup.deps ?? [],
        },
      ],
      { by: 'test' },
    ),
  )
  const id = created!.id
  if (setup.state && setup.state !== 'pending')
    unwrap(
      store.features.transition(id, setup.state, {
        by: 'test',
        // Only a claim makes a feature in_progress; the orchestrator stands in for one here.
        actor: setup.state === 'in_progress' ? 'orchestrator' : 'operator',
        reason: 'setup',
      }),
    )
  if (setup.claimedBy)
    unwrap(store.claims.claim([id], setup.claimedBy, setup.kind ?? 'coding', 3_600_000))
  return id
}

/** Deletes every feature (their claims and notes go with them): a clean board on a shared file. */
export function clearBoard(store: ProjectStore): void {
  for (const feature of store.features.list()) unwrap(store.features.delete(feature.id, 'test'))
}
