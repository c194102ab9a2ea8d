import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { cliArgv, runCli } from '../../helpers/cli.js'
import { tempDir } from '../../helpers/tmp.js'

// `autocoder mcp` as a process: stdout carries protocol messages only, a bad start says why on
// stderr, and the server ends when its client closes stdin.

/** The start of every session: initialize (id 1), initialized, then feature_get_stats (id 2). */
function openSession(send: (message: object) => void): void {
  send({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 't', version: '1' },
    },
  })
  send({ jsonrpc: '2.0', method: 'notifications/initialized' })
  send({
    jsonrpc: '2.0',
    id: 2,
    method: 'tools/call',
    params: { name: 'feature_get_stats', arguments: {} },
  })
}

describe('autocoder mcp process', () => {
  it('writes only JSON-RPC messages to stdout and exits when stdin closes', async () => {
    using dir = tempDir()
    const [command, ...args] = cliArgv('mcp', '--project', dir.path, '--agent-id', 'coding-9')
    const child = spawn(command!, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`)
    openSession(send)
    send({
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'feature_get_by_id', arguments: { feature_id: 5 } },
    })
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (stdout.split('\n').filter(Boolean).length >= 3) {
          clearInterval(poll)
          resolve()
        }
      }, 20)
    })
    child.stdin.end()
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(code).toBe(0)
    const lines = stdout.split('\n').filter(Boolean)
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' })
    const byId = new Map(
      lines
        .map((line) => JSON.parse(line) as { id: number; result: { isError?: boolean } })
        .map((m) => [m.id, m]),
    )
    expect(byId.get(2)!.result.isError).toBeUndefined()
    expect(byId.get(3)!.result.isError).toBe(true)
  }, 30_000)

  it('answers an oversized line and malformed lines with JSON-RPC errors and keeps serving', async () => {
    using dir = tempDir()
    const [command, ...args] = cliArgv('mcp', '--project', dir.path)
    const child = spawn(command!, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    const messages = () =>
      stdout
        .split('\n')
        .filter(Boolean)
        .map(
          (line) => JSON.parse(line) as { id: unknown; error?: { code: number }; result?: object },
        )
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    // 20 MB in one line (the limit is 4 MB), then four malformed lines, then a normal session.
    child.stdin.write(
      `{"jsonrpc":"2.0","id":99,"method":"ping","params":{"pad":"${'x'.repeat(20 * 1024 * 1024)}"}}\n`,
    )
    child.stdin.write('not json at all\n')
    child.stdin.write('{"jsonrpc":"2.0","id":7,"method":5}\n')
    child.stdin.write('[1, 2]\n')
    child.stdin.write('\n{"hello":"world"}\r\n')
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`)
    openSession(send)
    const deadline = Date.now() + 60_000
    while (!messages().some((m) => m.id === 2) && child.exitCode === null && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50))
    const all = messages()
    expect(all.filter((m) => m.error).map((m) => [m.id, m.error!.code])).toEqual([
      [null, -32600],
      [null, -32700],
      [7, -32600],
      [null, -32600],
      [null, -32600],
    ])
    expect(all.find((m) => m.id === 1)?.result).toMatchObject({ serverInfo: { name: 'features' } })
    expect(all.find((m) => m.id === 2)?.result).toMatchObject({ content: [{ type: 'text' }] })
    expect(all.some((m) => m.id === 99)).toBe(false)
    expect(child.exitCode).toBeNull()
    child.stdin.end()
    expect(await exited).toBe(0)
  }, 90_000)

  it('refuses a project folder that does not exist, on stderr, without creating it', () => {
    using dir = tempDir()
    const missing = `${dir.path}/nope`
    const result = runCli(['mcp', '--project', missing])
    expect(result.status).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('neither a directory nor a registered project')
    expect(existsSync(missing)).toBe(false)
  })

  it('refuses the reserved agent id "operator"', () => {
    using dir = tempDir()
    const result = runCli(['mcp', '--project', dir.path, '--agent-id', 'operator'])
    expect(result.status).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('reserved')
  })
})
