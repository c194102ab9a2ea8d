// One agent at a time, from prompt to store, with the real `claude` binary against the scripted
// Messages API: the tools, the security hook, the session loop's retries and watchdog, and cost.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { runSingleAgent, sdkRuntime } from '../../../src/agents/index.js'
import type { AgentRoleName, SingleAgentOptions } from '../../../src/agents/index.js'
import { systemClock } from '../../../src/core/clock.js'
import type { AppEvent } from '../../../src/core/events.js'
import { unwrap } from '../../../src/core/result.js'
import { parseScenario, startScriptedModel } from '../../../src/scripted-model/index.js'
import type { ScriptedModel } from '../../../src/scripted-model/index.js'
import { ProjectStore } from '../../../src/store/index.js'
import { tempDir } from '../../helpers/tmp.js'

const MODEL = 'claude-sonnet-4-5'
/** Claude Code's list prices for MODEL, $ per token: input, output, cache write, cache read. */
const PRICE = { input: 3e-6, output: 15e-6, cacheWrite: 3.75e-6, cacheRead: 0.3e-6 }

let dir: { path: string } & Disposable
let store: ProjectStore
let model: ScriptedModel | undefined

beforeEach(() => {
  dir = tempDir('autocoder-e2e-agent-')
  store = unwrap(ProjectStore.open(dir.path))
})

afterEach(async () => {
  store.close()
  await model?.close()
  model = undefined
  dir[Symbol.dispose]()
})

async function serve(turns: unknown[], usage?: object): Promise<ScriptedModel> {
  const scenario = parseScenario({ name: 'agent', ...(usage ? { usage } : {}), turns })
  if (!scenario.ok) throw new Error(scenario.error.message)
  model = await startScriptedModel({ scenarios: [scenario.value], defaultScenario: 'agent' })
  return model
}

function addFeatures(count: number): number[] {
  const created = store.features.create(
    Array.from({ length: count }, (_, i) => ({
      category: 'functional',
      name: `Feature ${i + 1}`,
      description: 'd',
      steps: ['open the page'],
      dependencies: [],
    })),
    { by: 'test' },
  )
  if (!created.ok) throw new Error(created.error.message)
  return created.value.map((feature) => feature.id)
}

async function run(role: AgentRoleName, options: Partial<SingleAgentOptions> = {}) {
  const events: AppEvent[] = []
  const unsubscribe = store.events.subscribe((event) => events.push(event))
  try {
    const result = await runSingleAgent({
      store,
      role,
      model: MODEL,
      yolo: true,
      port: 4321,
      maxIterations: 1,
      env: {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        ANTHROPIC_BASE_URL: model!.url,
        ANTHROPIC_API_KEY: 'test',
      },
      runtime: sdkRuntime,
      clock: systemClock,
      ...options,
    })
    if (!result.ok) throw new Error(result.error.message)
    return { result: result.value, events }
  } finally {
    unsubscribe()
  }
}

const ofType = <T extends AppEvent['type']>(events: AppEvent[], type: T) =>
  events.filter((e): e is Extract<AppEvent, { type: T }> => e.type === type)
const done = { text: 'Done.' }

describe('agent sessions against the scripted model', () => {
  it('an initializer creates the features through the tools', async () => {
    await serve([
      {
        tools: [
          {
            name: 'mcp__features__feature_create_bulk',
            input: {
              features: [
                {
                  category: 'infra',
                  name: 'Database connects',
                  description: 'd',
                  steps: ['start'],
                },
                {
                  category: 'functional',
                  name: 'List items',
                  description: 'd',
                  steps: ['open'],
                  depends_on_indices: [0],
                },
              ],
            },
          },
        ],
      },
      done,
    ])
    writeFileSync(
      join(dir.path, 'app_spec.txt'),
      '<project_specification>demo</project_specification>',
    )
    const { result } = await run('initializer', { featureCount: 2 })
    expect(result.outcome).toBe('done')
    expect(store.features.list().map((f) => [f.name, f.dependencies.length])).toEqual([
      ['Database connects', 0],
      ['List items', 1],
    ])
  })

  it('a coding agent writes a file, runs an allowed command, is refused a forbidden one and marks its feature', async () => {
    const [id] = addFeatures(1)
    await serve([
      {
        tools: [
          { name: 'mcp__features__feature_claim_and_get', input: { feature_id: '{{featureId}}' } },
        ],
      },
      {
        tools: [
          {
            name: 'Write',
            input: { file_path: '{{cwd}}/hello.txt', content: 'hello from the agent\n' },
          },
        ],
      },
      {
        tools: [
          { name: 'Bash', input: { command: 'ls -la && cat hello.txt', description: 'check' } },
        ],
      },
      { tools: [{ name: 'Bash', input: { command: 'sudo id', description: 'forbidden' } }] },
      {
        tools: [
          { name: 'mcp__features__feature_mark_passing', input: { feature_id: '{{featureId}}' } },
        ],
      },
      done,
    ])
    const { result, events } = await run('coding', { featureIds: [id!] })
    expect(result.outcome).toBe('done')
    expect(readFileSync(join(dir.path, 'hello.txt'), 'utf8')).toBe('hello from the agent\n')
    expect(store.features.get(id!)?.state).toBe('passing')
    const results = ofType(events, 'agent.tool_result')
    expect(results[2]).toMatchObject({ isError: false })
    expect(results[2]!.output).toContain('hello from the agent')
    const refused = ofType(events, 'policy.decision').find((e) => !e.allowed)
    expect(refused?.command).toBe('sudo id')
    // The refusal reaches the model: the next request carries it as an error tool result.
    const next = JSON.stringify(model!.requests.filter((r) => r.kind === 'messages')[4]!.body)
    expect(next).toContain(refused!.reason.slice(0, 40).replace(/"/g, '\\"'))
  })

  it('a testing agent re-verifies its features and leaves evidence', async () => {
    const ids = addFeatures(2)
    for (const id of ids)
      store.features.transition(id, 'passing', { by: 'test', actor: 'operator', reason: 'setup' })
    await serve([
      {
        tools: [
          { name: 'mcp__features__feature_get_by_id', input: { feature_id: '{{featureIds.0}}' } },
        ],
      },
      {
        tools: [
          {
            name: 'mcp__features__feature_add_note',
            input: { feature_id: '{{featureIds.0}}', kind: 'evidence', text: 'steps pass' },
          },
        ],
      },
      done,
    ])
    const { result } = await run('testing', { featureIds: ids })
    expect(result.outcome).toBe('done')
    expect(store.notes.list(ids[0]!).map((n) => n.text)).toContain('steps pass')
    expect(store.features.get(ids[0]!)?.state).toBe('passing')
  })

  it('waits the retry-after of a 429 (about 2 s) and resumes', async () => {
    const [id] = addFeatures(1)
    await serve([
      { fault: 'rate_limit', retryAfter: 2 },
      {
        tools: [
          { name: 'mcp__features__feature_claim_and_get', input: { feature_id: '{{featureId}}' } },
        ],
      },
      {
        tools: [
          { name: 'mcp__features__feature_mark_passing', input: { feature_id: '{{featureId}}' } },
        ],
      },
      done,
    ])
    const { result, events } = await run('coding', { featureIds: [id!] })
    expect(result.outcome).toBe('done')
    const limited = ofType(events, 'agent.rate_limited')[0]
    expect(limited).toMatchObject({ status: 429 })
    expect(limited!.retryAfterMs).toBeGreaterThanOrEqual(2000)
    const [first, second] = model!.requests.filter((r) => r.kind === 'messages')
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(1900)
    expect(second!.receivedAt - first!.receivedAt).toBeLessThan(4000)
  })

  it('retries a dropped stream', async () => {
    const [id] = addFeatures(1)
    await serve([
      { fault: 'drop', afterEvents: 2 },
      {
        tools: [
          { name: 'mcp__features__feature_claim_and_get', input: { feature_id: '{{featureId}}' } },
        ],
      },
      {
        tools: [
          { name: 'mcp__features__feature_mark_passing', input: { feature_id: '{{featureId}}' } },
        ],
      },
      done,
    ])
    const { result, events } = await run('coding', { featureIds: [id!] })
    expect(result.outcome).toBe('done')
    expect(ofType(events, 'agent.error').map((e) => e.code)).toContain('API_RETRY')
  })

  it('interrupts a silent model with the idle watchdog', async () => {
    const [id] = addFeatures(1)
    await serve([{ fault: 'silent' }, done])
    const startedAt = Date.now()
    const { result, events } = await run('coding', {
      featureIds: [id!],
      loop: { idleTimeoutMs: 2500, interruptGraceMs: 3000 },
    })
    expect(result.outcome).toBe('incomplete')
    expect(ofType(events, 'agent.error').map((e) => e.code)).toContain('IDLE_TIMEOUT')
    expect(Date.now() - startedAt).toBeLessThan(15_000)
  })

  it('stops a running session at once when aborted', async () => {
    const [id] = addFeatures(1)
    await serve([{ fault: 'silent' }, done])
    const controller = new AbortController()
    const startedAt = Date.now()
    setTimeout(() => controller.abort(new Error('stop')), 1500)
    const { result } = await run('coding', { featureIds: [id!], signal: controller.signal })
    expect(result.outcome).toBe('interrupted')
    expect(Date.now() - startedAt).toBeLessThan(6000)
    expect(store.claims.heldBy(`coding-${process.pid}`)).toEqual([])
  })

  it('reports the cost of exactly the usage the model API sent', async () => {
    const [id] = addFeatures(1)
    const usage = {
      input_tokens: 1200,
      output_tokens: 300,
      cache_creation_input_tokens: 400,
      cache_read_input_tokens: 5000,
    }
    await serve(
      [
        {
          tools: [
            {
              name: 'mcp__features__feature_claim_and_get',
              input: { feature_id: '{{featureId}}' },
            },
          ],
        },
        {
          tools: [
            { name: 'mcp__features__feature_mark_passing', input: { feature_id: '{{featureId}}' } },
          ],
        },
        done,
      ],
      usage,
    )
    const { events } = await run('coding', { featureIds: [id!] })
    const [reported] = ofType(events, 'agent.usage')
    const sent = model!.stats.usage
    expect(reported!.usage).toMatchObject({
      inputTokens: sent.input_tokens,
      outputTokens: sent.output_tokens,
      cacheWriteTokens: sent.cache_creation_input_tokens,
      cacheReadTokens: sent.cache_read_input_tokens,
    })
    const expected =
      sent.input_tokens * PRICE.input +
      sent.output_tokens * PRICE.output +
      sent.cache_creation_input_tokens * PRICE.cacheWrite +
      sent.cache_read_input_tokens * PRICE.cacheRead
    expect(reported!.usage.costUsd).toBeCloseTo(expected, 9)
    expect(store.sessions.list()[0]!.usage.costUsd).toBeCloseTo(expected, 9)
    expect(store.sessions.costOfFeature(id!)).toBeCloseTo(expected, 9)
    expect(existsSync(join(dir.path, '.autocoder', 'autocoder.db'))).toBe(true)
  })
})
