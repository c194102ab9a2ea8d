import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { cliArgv, runCli } from '../../helpers/cli.js'
import { tempDir } from '../../helpers/tmp.js'

// `autocoder mcp` as a process: stdout carries protocol messages only, a bad start says why on
// stderr, and the server ends when its client closes stdin.
describe('autocoder mcp process', () => {
  it('writes only JSON-RPC messages to stdout and exits when stdin closes', async () => {
    using dir = tempDir()
    const [command, ...args] = cliArgv('mcp', '--project', dir.path, '--agent-id', 'coding-9')
    const child = spawn(command!, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`)
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
