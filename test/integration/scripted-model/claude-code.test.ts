// The real Claude Code CLI (through the Agent SDK's query()) against the scripted model API.
// What these tests pin down is what the agent runtime relies on; src/scripted-model/README.md explains it.
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  loadScenarioDir,
  startScriptedModel,
  type RecordedRequest,
  type ScriptedModel,
} from '../../../src/scripted-model/index.js'
import { repoRoot } from '../../helpers/cli.js'
import { tempDir } from '../../helpers/tmp.js'
import { resultOf, retriesOf, runSession } from './claude-session.js'

let model: ScriptedModel
const workDir = tempDir('scripted-model-claude-')

beforeAll(async () => {
  const scenarios = await loadScenarioDir(join(repoRoot, 'test', 'fixtures', 'scripted-model'))
  if (!scenarios.ok) throw new Error(scenarios.error.message)
  model = await startScriptedModel({ scenarios: scenarios.value })
})

afterAll(async () => {
  await model.close()
  workDir[Symbol.dispose]()
})

function requestsOf(scenario: string): RecordedRequest[] {
  return model.requests.filter((request) => request.scenario === scenario)
}

/** The tool_result blocks of the last message of a recorded request. */
function toolResults(
  request: RecordedRequest | undefined,
): { content: unknown; is_error?: boolean }[] {
  const body = request?.body as { messages: { content: unknown }[] } | undefined
  const last = body?.messages.at(-1)?.content as
    { type: string; content: unknown; is_error?: boolean }[] | string | undefined
  return Array.isArray(last) ? last.filter((block) => block.type === 'tool_result') : []
}

/** Claude Code's list prices for claude-sonnet-4-5, USD per token. */
const sonnet = { input: 3e-6, output: 15e-6, cacheWrite: 3.75e-6, cacheRead: 0.3e-6 }

describe('Claude Code against the scripted model', () => {
  it('runs Bash and an in-process MCP tool, sends tool results back, and costs what the scripted usage says', async () => {
    const run = await runSession(model, '[[scenario:tools]] Please do the work.', {
      cwd: workDir.path,
      deny: ['rm -rf /tmp/forbidden'],
    })
    const result = resultOf(run)
    expect(result).toMatchObject({
      subtype: 'success',
      is_error: false,
      num_turns: 4,
      result: 'All done: sum=5',
    })

    const requests = requestsOf('tools')
    expect(requests.map((request) => [request.position, request.outcome])).toEqual([
      [0, 'reply'],
      [1, 'reply'],
      [2, 'reply'],
      [3, 'reply'],
    ])
    expect(JSON.stringify(toolResults(requests[1]))).toContain('scripted-42')
    expect(toolResults(requests[2])[0]).toMatchObject({ is_error: true })
    expect(JSON.stringify(toolResults(requests[2]))).toContain(
      'policy: rm -rf /tmp/forbidden is not allowed',
    )
    expect(JSON.stringify(toolResults(requests[3]))).toContain('sum=5')
    expect(
      run.hookCalls.map((call) =>
        call.hook_event_name === 'PreToolUse' ? call.tool_name : call.hook_event_name,
      ),
    ).toEqual(['Bash', 'Bash', 'mcp__probe__add'])

    const usage = {
      input_tokens: 5000,
      output_tokens: 650,
      cache_creation_input_tokens: 900,
      cache_read_input_tokens: 22000,
    }
    expect(result.usage).toMatchObject(usage)
    expect(model.stats.usage).toMatchObject(usage)
    const cost =
      usage.input_tokens * sonnet.input +
      usage.output_tokens * sonnet.output +
      usage.cache_creation_input_tokens * sonnet.cacheWrite +
      usage.cache_read_input_tokens * sonnet.cacheRead
    expect(result.total_cost_usd).toBeCloseTo(cost, 12)
    expect(result.modelUsage['claude-sonnet-4-5']).toMatchObject({
      inputTokens: 5000,
      outputTokens: 650,
      cacheCreationInputTokens: 900,
      cacheReadInputTokens: 22000,
    })
  })

  describe.concurrent('API faults (concurrent sessions routed by marker)', () => {
    it('retries a 429 itself after the retry-after delay and reports it as an api_retry message', async () => {
      const run = await runSession(model, '[[scenario:rate-limit]] go', { cwd: workDir.path })
      expect(retriesOf(run)).toEqual([
        expect.objectContaining({
          attempt: 1,
          max_retries: 10,
          error_status: 429,
          error: 'rate_limit',
        }),
      ])
      expect(retriesOf(run)[0]!.retry_delay_ms).toBeGreaterThanOrEqual(2000)
      expect(retriesOf(run)[0]!.retry_delay_ms).toBeLessThanOrEqual(2500)
      const [first, second] = requestsOf('rate-limit')
      expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(2000)
      expect(resultOf(run)).toMatchObject({
        subtype: 'success',
        is_error: false,
        result: 'after the rate limit',
      })
    })

    it('surfaces a 429 it may not retry as an assistant error, an error result and a thrown error', async () => {
      const run = await runSession(model, '[[scenario:rate-limit-final]] go', { cwd: workDir.path })
      const assistant = run.messages.find((message) => message.type === 'assistant')
      expect(assistant).toMatchObject({ error: 'rate_limit', message: { model: '<synthetic>' } })
      expect(resultOf(run)).toMatchObject({
        subtype: 'success',
        is_error: true,
        terminal_reason: 'api_error',
        api_error_status: 429,
      })
      expect(String(run.thrown)).toContain(
        'Claude Code returned an error result: API Error: Request rejected (429)',
      )
      expect(requestsOf('rate-limit-final')).toHaveLength(1)
    })

    it('retries a 529 overloaded answer after about half a second', async () => {
      const run = await runSession(model, '[[scenario:overloaded]] go', { cwd: workDir.path })
      expect(retriesOf(run)).toEqual([
        expect.objectContaining({ error_status: 529, error: 'overloaded' }),
      ])
      expect(retriesOf(run)[0]!.retry_delay_ms).toBeLessThan(1000)
      expect(resultOf(run)).toMatchObject({ is_error: false, result: 'after the overload' })
    })

    it('retries a stream cut mid-way as a connection error without emitting the partial reply', async () => {
      const run = await runSession(model, '[[scenario:dropped]] go', { cwd: workDir.path })
      expect(retriesOf(run)).toEqual([
        expect.objectContaining({ error_status: null, error: 'unknown' }),
      ])
      expect(run.messages.filter((message) => message.type === 'assistant')).toHaveLength(1)
      expect(resultOf(run)).toMatchObject({ is_error: false, result: 'after the dropped stream' })
    })

    it('waits on a silent model until interrupted, then ends with an error_during_execution result', async () => {
      let interrupt: (() => Promise<void>) | undefined
      const interrupted = new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          if (requestsOf('silent').length === 0 || interrupt === undefined) return
          clearInterval(timer)
          void interrupt().then(resolve)
        }, 50)
      })
      const run = await runSession(model, '[[scenario:silent]] go', {
        cwd: workDir.path,
        onQuery: (stop) => (interrupt = stop),
      })
      await interrupted
      expect(resultOf(run)).toMatchObject({
        subtype: 'error_during_execution',
        is_error: true,
        terminal_reason: 'aborted_streaming',
      })
      expect(retriesOf(run)).toEqual([])
      expect(requestsOf('silent')).toHaveLength(1)
    })
  })
})
