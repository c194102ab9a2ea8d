// The scripted Messages API over real HTTP (no claude binary): wire format, routing, faults.
import { afterEach, describe, expect, it } from 'vitest'

import {
  parseScenario,
  startScriptedModel,
  type Scenario,
  type ScriptedModel,
} from '../../../src/scripted-model/index.js'

function scenario(data: unknown): Scenario {
  const parsed = parseScenario(data)
  if (!parsed.ok) throw new Error(parsed.error.message)
  return parsed.value
}

const usage = {
  input_tokens: 11,
  output_tokens: 7,
  cache_creation_input_tokens: 3,
  cache_read_input_tokens: 5,
}
const scenarios = [
  scenario({
    name: 'hello',
    turns: [
      { text: 'Hello', usage },
      { tools: [{ name: 'Bash', input: { command: 'ls {{cwd}}' } }], usage },
    ],
  }),
  scenario({
    name: 'limited',
    turns: [{ fault: 'rate_limit', retryAfter: 2 }, { fault: 'overloaded' }, { text: 'finally' }],
  }),
  scenario({ name: 'dropped', turns: [{ fault: 'drop', afterEvents: 2 }, { text: 'whole' }] }),
  scenario({ name: 'silent', turns: [{ fault: 'silent' }, { text: 'late' }] }),
  scenario({ name: 'slow', turns: [{ fault: 'slow', delayMs: 20 }, { text: 'paced' }] }),
  scenario({ name: 'coding-7', turns: [{ text: 'routed by agent id' }] }),
]

let model: ScriptedModel
afterEach(async () => {
  await model.close()
})

function post(
  body: unknown,
  path = '/v1/messages?beta=true',
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${model.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
}

function ask(
  name: string,
  options: { stream?: boolean; assistantTurns?: number; session?: string } = {},
): Promise<Response> {
  const messages: unknown[] = [
    {
      role: 'user',
      content: [
        { type: 'text', text: ` - Primary working directory: /srv/app\n[[scenario:${name}]] go` },
      ],
    },
  ]
  for (let turn = 0; turn < (options.assistantTurns ?? 0); turn++) {
    messages.push(
      { role: 'assistant', content: [{ type: 'text', text: 'earlier' }] },
      { role: 'user', content: 'next' },
    )
  }
  return post(
    { model: 'claude-sonnet-4-5', max_tokens: 100, stream: options.stream ?? true, messages },
    undefined,
    { 'x-claude-code-session-id': options.session ?? 's1' },
  )
}

function sseTypes(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('event: '))
    .map((line) => line.slice('event: '.length))
}

describe('scripted model server', () => {
  it('streams a text reply as Messages API server-sent events with the scripted usage', async () => {
    model = await startScriptedModel({ scenarios })
    const response = await ask('hello')
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const text = await response.text()
    expect(sseTypes(text)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ])
    expect(text).toContain('"stop_reason":"end_turn"')
    expect(text).toContain(
      JSON.stringify({
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage,
      }),
    )
    expect(model.stats.usage).toEqual(usage)
  })

  it('picks the turn from the assistant messages already in the request and renders templates', async () => {
    model = await startScriptedModel({ scenarios })
    const message = (await (
      await ask('hello', { stream: false, assistantTurns: 1 })
    ).json()) as Record<string, unknown>
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      stop_reason: 'tool_use',
      usage,
    })
    expect(message['content']).toEqual([
      {
        type: 'tool_use',
        id: expect.stringMatching(/^toolu_/),
        name: 'Bash',
        input: { command: 'ls /srv/app' },
      },
    ])
    expect(model.requests[0]).toMatchObject({
      kind: 'messages',
      scenario: 'hello',
      position: 1,
      attempt: 0,
      outcome: 'reply',
      stream: false,
    })
  })

  it('streams tool input as input_json_delta fragments', async () => {
    model = await startScriptedModel({ scenarios })
    const text = await (await ask('hello', { assistantTurns: 1 })).text()
    const fragments = [...text.matchAll(/"partial_json":("(?:[^"\\]|\\.)*")/g)].map(
      (match) => JSON.parse(match[1]!) as string,
    )
    expect(JSON.parse(fragments.join(''))).toEqual({ command: 'ls /srv/app' })
    expect(text).toContain('"content_block":{"type":"tool_use"')
  })

  it('answers retries of one turn with its faults in order, per conversation', async () => {
    model = await startScriptedModel({ scenarios })
    const first = await ask('limited')
    expect(first.status).toBe(429)
    expect(first.headers.get('retry-after')).toBe('2')
    expect(await first.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } })
    expect((await ask('limited', { session: 'other' })).status).toBe(429)
    const second = await ask('limited')
    expect(second.status).toBe(529)
    expect(await second.json()).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    })
    expect((await ask('limited')).status).toBe(200)
    expect(model.stats.faults).toMatchObject({ rate_limit: 2, overloaded: 1 })
  })

  it('cuts a dropped stream after the scripted number of events', async () => {
    model = await startScriptedModel({ scenarios })
    const response = await ask('dropped')
    await expect(response.text()).rejects.toThrow()
    expect(model.requests[0]).toMatchObject({ outcome: 'fault', fault: 'drop' })
    expect(sseTypes(await (await ask('dropped')).text())).toContain('message_stop')
  })

  it('holds a silent request without sending a byte until the server closes', async () => {
    model = await startScriptedModel({ scenarios })
    let settled = false
    const pending = ask('silent').then(
      () => (settled = true),
      () => (settled = true),
    )
    while (model.requests.length === 0) await new Promise((resolve) => setImmediate(resolve))
    expect(settled).toBe(false)
    await model.close()
    await pending
    expect(model.requests[0]).toMatchObject({ outcome: 'fault', fault: 'silent' })
  })

  it('paces a slow reply with a wait before every event and uses no attempt for it', async () => {
    const waits: number[] = []
    const clock = { now: () => 0, sleep: (ms: number) => Promise.resolve(void waits.push(ms)) }
    model = await startScriptedModel({ scenarios, clock })
    const text = await (await ask('slow')).text()
    expect(sseTypes(text)).toHaveLength(7)
    expect(waits).toEqual([20, 20, 20, 20, 20, 20, 20])
    expect(model.requests[0]).toMatchObject({ attempt: 0, outcome: 'reply' })
  })

  it('routes by an [[agent:ID]] marker when a scenario has that name', async () => {
    model = await startScriptedModel({ scenarios })
    const response = await post({
      model: 'm',
      stream: false,
      system: 'You code. [[agent:coding-7]]',
      messages: [{ role: 'user', content: 'go' }],
    })
    expect(await response.json()).toMatchObject({
      content: [{ type: 'text', text: 'routed by agent id' }],
    })
  })

  it('refuses two scenarios with one name', async () => {
    await expect(startScriptedModel({ scenarios: [scenarios[0]!, scenarios[0]!] })).rejects.toThrow(
      /two scenarios are named "hello"/,
    )
    model = await startScriptedModel({})
  })

  it('rejects a request that no scenario matches with a 400 that says how to route it', async () => {
    model = await startScriptedModel({ scenarios })
    const response = await post({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
    expect(response.status).toBe(400)
    expect(JSON.stringify(await response.json())).toContain('[[scenario:NAME]]')
    expect(model.stats.unmatched).toBe(1)
  })

  it('lets a dynamic scenario react to tool results and retry attempts', async () => {
    const dynamic: Scenario = {
      kind: 'dynamic',
      name: 'echo',
      respond: (context) => [
        { fault: 'overloaded' },
        { text: `attempt ${context.attempt}: ${context.toolResults[0]?.text ?? 'none'}` },
      ],
    }
    model = await startScriptedModel({ scenarios: [dynamic], defaultScenario: 'echo' })
    const body = {
      model: 'm',
      messages: [
        { role: 'user', content: 'run it' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'Bash', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'exit 0' }] },
      ],
    }
    expect((await post(body)).status).toBe(529)
    const message = (await (await post(body)).json()) as { content: unknown }
    expect(message.content).toEqual([{ type: 'text', text: 'attempt 1: exit 0' }])
  })

  it('waits the latency before a reply, not before a fault, and records it', async () => {
    const waits: number[] = []
    const clock = { now: () => 0, sleep: (ms: number) => Promise.resolve(void waits.push(ms)) }
    model = await startScriptedModel({
      scenarios,
      clock,
      latencyMs: (context) => 100 + context.position,
    })
    expect((await ask('limited')).status).toBe(429)
    expect(waits).toEqual([])
    await (await ask('hello', { assistantTurns: 1 })).text()
    expect(waits).toEqual([101])
    expect(model.requests.map((request) => request.latencyMs)).toEqual([undefined, 101])
  })

  it('shows a dynamic scenario the tool results of every earlier turn by position', async () => {
    const seen: unknown[] = []
    const dynamic: Scenario = {
      kind: 'dynamic',
      name: 'recall',
      respond: (context) => {
        seen.push(context.history.map((results) => results.map((result) => result.text)))
        return { text: 'ok' }
      },
    }
    model = await startScriptedModel({ scenarios: [dynamic], defaultScenario: 'recall' })
    const toolTurn = (id: string) => ({
      role: 'assistant',
      content: [{ type: 'tool_use', id, name: 'Bash', input: {} }],
    })
    const result = (id: string, text: string) => ({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: id, content: text }],
    })
    await post({
      model: 'm',
      stream: false,
      messages: [
        { role: 'user', content: 'go' },
        toolTurn('a'),
        result('a', 'first'),
        { role: 'assistant', content: [{ type: 'text', text: 'thinking aloud' }] },
        { role: 'user', content: 'go on' },
        toolTurn('b'),
        result('b', 'third'),
      ],
    })
    expect(seen).toEqual([[['first'], [], ['third']]])
  })

  it('answers token counting, model listing and the connectivity probe', async () => {
    model = await startScriptedModel({ scenarios })
    const counted = (await (
      await post(
        { model: 'm', messages: [{ role: 'user', content: 'x'.repeat(400) }] },
        '/v1/messages/count_tokens',
      )
    ).json()) as { input_tokens: number }
    expect(counted.input_tokens).toBeGreaterThan(100)
    const models = (await (await fetch(`${model.url}/v1/models`)).json()) as {
      data: { id: string }[]
    }
    expect(models.data.map((entry) => entry.id)).toContain('claude-sonnet-4-5')
    expect((await fetch(`${model.url}/api/hello`, { method: 'HEAD' })).status).toBe(200)
    expect((await fetch(`${model.url}/v2/nothing`)).status).toBe(404)
    expect(model.requests.map((request) => request.kind)).toEqual([
      'count_tokens',
      'models',
      'probe',
      'unknown',
    ])
  })
})
