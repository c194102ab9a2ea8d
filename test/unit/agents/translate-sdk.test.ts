import type { SDKMessage } from '@anthropic-ai/claude-agent-sdk'
import { describe, expect, it } from 'vitest'

import { SdkTranslator } from '../../../src/agents/translate-sdk.js'

// SDK messages as Claude Code sends them (shapes from src/scripted-model/README.md findings).
const sdk = (message: object): SDKMessage => message as SDKMessage
const translator = () => new SdkTranslator('a1', [7], 20, () => 1_000_000)

describe('SdkTranslator', () => {
  it('turns assistant blocks into text, thinking and tool-use events', () => {
    const out = translator().translate(
      sdk({
        type: 'assistant',
        parent_tool_use_id: null,
        message: {
          content: [
            { type: 'thinking', thinking: 'hm' },
            { type: 'text', text: 'hi' },
            { type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'ls' } },
          ],
        },
      }),
    )
    expect(out).toEqual([
      { type: 'agent.thinking', agentId: 'a1', text: 'hm' },
      { type: 'agent.text', agentId: 'a1', text: 'hi' },
      {
        type: 'agent.tool_use',
        agentId: 'a1',
        toolUseId: 't1',
        tool: 'Bash',
        input: { command: 'ls' },
      },
    ])
  })

  it('truncates tool results and keeps the error flag', () => {
    const [result] = translator().translate(
      sdk({
        type: 'user',
        parent_tool_use_id: null,
        message: {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't1',
              is_error: true,
              content: [{ type: 'text', text: 'x'.repeat(50) }],
            },
          ],
        },
      }),
    )
    expect(result).toMatchObject({ type: 'agent.tool_result', toolUseId: 't1', isError: true })
    expect(result && 'output' in result && result.output).toBe(
      `${'x'.repeat(20)}… [30 more characters]`,
    )
  })

  it('drops the system reminders Claude Code adds to tool results', () => {
    const [result] = translator().translate(
      sdk({
        type: 'user',
        parent_tool_use_id: null,
        message: {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't1',
              content: 'ok\n<system-reminder>\nTokens left\n</system-reminder>',
            },
          ],
        },
      }),
    )
    expect(result && 'output' in result && result.output).toBe('ok')
  })

  it('reports a retried 429 as rate limited with the wait', () => {
    const out = translator().translate(
      sdk({
        type: 'system',
        subtype: 'api_retry',
        attempt: 1,
        max_retries: 10,
        retry_delay_ms: 2100,
        error_status: 429,
        error: 'rate_limit',
      }),
    )
    expect(out).toEqual([
      { type: 'agent.rate_limited', agentId: 'a1', status: 429, retryAfterMs: 2100 },
    ])
  })

  it('ends with a typed failure from the API error, not from text', () => {
    const t = translator()
    t.translate(
      sdk({
        type: 'system',
        subtype: 'api_retry',
        attempt: 10,
        max_retries: 10,
        retry_delay_ms: 30_000,
        error_status: 529,
        error: 'overloaded',
      }),
    )
    t.translate(
      sdk({
        type: 'assistant',
        parent_tool_use_id: null,
        error: 'overloaded',
        api_error_status: 529,
        message: { content: [{ type: 'text', text: 'API Error: 529 Overloaded' }] },
      }),
    )
    t.translate(
      sdk({
        type: 'result',
        subtype: 'success',
        is_error: true,
        num_turns: 1,
        duration_ms: 5,
        result: 'API Error',
        total_cost_usd: 0,
        usage: { input_tokens: 0, output_tokens: 0 },
        modelUsage: {},
      }),
    )
    expect(t.end({ interrupted: false, startedAt: 0 })).toMatchObject({
      status: 'failed',
      failure: { kind: 'overloaded', status: 529, retryAfterMs: 30_000 },
    })
  })

  it('does not mistake a text about rate limits for one', () => {
    const t = translator()
    t.translate(
      sdk({
        type: 'assistant',
        parent_tool_use_id: null,
        message: {
          content: [{ type: 'text', text: 'I added rate limiting: HTTP 429 too many requests' }],
        },
      }),
    )
    t.translate(
      sdk({
        type: 'result',
        subtype: 'success',
        is_error: false,
        num_turns: 1,
        duration_ms: 5,
        result: 'ok',
        total_cost_usd: 0.01,
        usage: { input_tokens: 1, output_tokens: 1 },
        modelUsage: {},
      }),
    )
    expect(t.end({ interrupted: false, startedAt: 0 })).toMatchObject({
      status: 'success',
      failure: null,
    })
  })

  it('sums usage over every model of the session and takes the total cost', () => {
    const out = translator().translate(
      sdk({
        type: 'result',
        subtype: 'success',
        is_error: false,
        num_turns: 2,
        duration_ms: 5,
        result: 'ok',
        total_cost_usd: 0.5,
        usage: { input_tokens: 1, output_tokens: 1 },
        modelUsage: {
          a: {
            inputTokens: 10,
            outputTokens: 5,
            cacheReadInputTokens: 100,
            cacheCreationInputTokens: 20,
            costUSD: 0.4,
          },
          b: {
            inputTokens: 1,
            outputTokens: 1,
            cacheReadInputTokens: 0,
            cacheCreationInputTokens: 0,
            costUSD: 0.1,
          },
        },
      }),
    )
    expect(out).toEqual([
      {
        type: 'agent.usage',
        agentId: 'a1',
        featureIds: [7],
        usage: {
          inputTokens: 11,
          outputTokens: 6,
          cacheReadTokens: 100,
          cacheWriteTokens: 20,
          costUsd: 0.5,
        },
      },
    ])
  })

  it('calls a session that ends without a result a process failure', () => {
    expect(
      translator().end({ thrown: new Error('spawn failed'), interrupted: false, startedAt: 0 }),
    ).toMatchObject({ status: 'failed', failure: { kind: 'process', message: 'spawn failed' } })
  })
})
