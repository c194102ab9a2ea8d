// Class 14: `autocoder mcp` over stdio fed oversized, malformed and hostile lines. Each must get a
// JSON-RPC error (or a tool error) and the server must go on answering.
import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'

import { cliArgv, repoRoot } from '../../helpers/cli.js'
import type { DirectOutcome } from './direct-attack.js'

interface Message {
  id?: unknown
  result?: unknown
  error?: { code?: number; message?: string }
}

/** A line-oriented client of a stdio MCP server that keeps every message it answered. */
class StdioClient {
  readonly messages: Message[] = []
  private buffer = ''
  private waiters: (() => void)[] = []
  exited = false

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8')
      let index
      while ((index = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, index)
        this.buffer = this.buffer.slice(index + 1)
        try {
          this.messages.push(JSON.parse(line) as Message)
        } catch {
          this.messages.push({ error: { message: `not JSON on stdout: ${line.slice(0, 100)}` } })
        }
      }
      this.wake()
    })
    child.on('exit', () => {
      this.exited = true
      this.wake()
    })
    child.stdin.on('error', () => undefined)
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter()
  }

  async write(data: string | Buffer): Promise<void> {
    if (this.exited) return
    if (!this.child.stdin.write(data))
      await new Promise<void>((resolve) => {
        this.child.stdin.once('drain', resolve)
        this.child.once('exit', resolve)
      })
  }

  /** The first message after `from` matching `match`, or null after `timeoutMs`. */
  async waitFor(
    from: number,
    match: (message: Message) => boolean,
    timeoutMs: number,
  ): Promise<Message | null> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.messages.slice(from).find(match)
      if (found) return found
      if (this.exited || Date.now() > deadline) return null
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(10, deadline - Date.now()))
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }
}

interface HostileInput {
  readonly id: string
  /** Bytes to send (a line, its newline included). */
  readonly bytes: () => Buffer
  /** What counts as the answer to it: a JSON-RPC error, or for a tool call any error result. */
  readonly answered: (message: Message) => boolean
}

const isErrorReply = (message: Message): boolean =>
  message.error !== undefined && typeof message.error.code === 'number'
const line =
  (text: string): (() => Buffer) =>
  () =>
    Buffer.from(`${text}\n`)
const request = (id: number, method: string, params: unknown): string =>
  JSON.stringify({ jsonrpc: '2.0', id, method, params })
const MB = 1024 * 1024

const INPUTS: readonly HostileInput[] = [
  {
    id: 'c14-20mb-request',
    bytes: line(
      request(101, 'tools/call', {
        name: 'feature_get_stats',
        arguments: { pad: 'x'.repeat(20 * MB) },
      }),
    ),
    answered: isErrorReply,
  },
  {
    id: 'c14-20mb-garbage',
    bytes: () => Buffer.concat([Buffer.alloc(20 * MB, 'a'), Buffer.from('\n')]),
    answered: isErrorReply,
  },
  {
    id: 'c14-truncated-json',
    bytes: line('{"jsonrpc":"2.0","id":102,"method":'),
    answered: isErrorReply,
  },
  { id: 'c14-empty-batch', bytes: line('[]'), answered: isErrorReply },
  { id: 'c14-bare-string', bytes: line('"tools/list"'), answered: isErrorReply },
  { id: 'c14-null', bytes: line('null'), answered: isErrorReply },
  { id: 'c14-number', bytes: line('42'), answered: isErrorReply },
  {
    id: 'c14-wrong-version',
    bytes: line('{"jsonrpc":"1.0","id":103,"method":"tools/list"}'),
    answered: isErrorReply,
  },
  { id: 'c14-no-method', bytes: line('{"jsonrpc":"2.0","id":104}'), answered: isErrorReply },
  {
    id: 'c14-object-id',
    bytes: line('{"jsonrpc":"2.0","id":{"a":1},"method":"tools/list"}'),
    answered: isErrorReply,
  },
  {
    id: 'c14-invalid-utf8',
    bytes: () => Buffer.concat([Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('\n')]),
    answered: isErrorReply,
  },
  { id: 'c14-deep-nesting', bytes: line('['.repeat(200_000)), answered: isErrorReply },
  {
    id: 'c14-unknown-tool',
    bytes: line(request(105, 'tools/call', { name: 'rm_everything', arguments: {} })),
    answered: (message) =>
      message.id === 105 &&
      (isErrorReply(message) || JSON.stringify(message.result).includes('"isError":true')),
  },
  {
    id: 'c14-2mb-feature-name',
    bytes: line(
      request(106, 'tools/call', {
        name: 'feature_create',
        arguments: { category: 'c', name: 'n'.repeat(2 * MB), description: 'd', steps: [] },
      }),
    ),
    answered: (message) =>
      message.id === 106 &&
      (isErrorReply(message) || JSON.stringify(message.result).includes('"isError":true')),
  },
]

/** Runs every hostile input against one `autocoder mcp` process, checking it still serves after each. */
export async function attackMcpStdio(
  projectDir: string,
  env: NodeJS.ProcessEnv,
): Promise<DirectOutcome[]> {
  const [command, ...args] = cliArgv('mcp', '--project', projectDir)
  const child = spawn(command!, args, { cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'] })
  const client = new StdioClient(child)
  const outcomes: DirectOutcome[] = []
  try {
    await client.write(
      `${request(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'attacker', version: '1' } })}\n`,
    )
    const ready = await client.waitFor(0, (message) => message.id === 1, 20_000)
    if (!ready) throw new Error('autocoder mcp did not answer initialize')
    await client.write(
      `${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`,
    )
    let probeId = 1000
    for (const input of INPUTS) {
      const from = client.messages.length
      await client.write(input.bytes())
      const answer = await client.waitFor(from, input.answered, 15_000)
      const probe = ++probeId
      await client.write(`${request(probe, 'tools/list', {})}\n`)
      const serving = await client.waitFor(
        from,
        (message) => message.id === probe && message.result !== undefined,
        15_000,
      )
      outcomes.push({
        id: input.id,
        cls: 14,
        contained: answer !== null && serving !== null,
        detail: `${answer ? `answered ${JSON.stringify(answer.error ?? 'a result').slice(0, 120)}` : 'no error reply'}; ${serving ? 'still serving' : client.exited ? `exited (${String(child.exitCode)})` : 'stopped answering'}`,
      })
      if (client.exited) break
    }
  } finally {
    child.kill('SIGKILL')
  }
  for (const input of INPUTS.slice(outcomes.length))
    outcomes.push({
      id: input.id,
      cls: 14,
      contained: false,
      detail: 'not tried: the server had exited',
    })
  return outcomes
}
