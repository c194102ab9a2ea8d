// The real Claude Code CLI (Agent SDK query()) against the scripted model, working the board through
// the in-process features server: the model sees mcp__features__<name>, calls run as the agent, and
// our own validation answers malformed input.
import { query } from '@anthropic-ai/claude-agent-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { unwrap } from '../../../src/core/index.js'
import { parseScenario, startScriptedModel } from '../../../src/scripted-model/index.js'
import type { ScriptedModel } from '../../../src/scripted-model/index.js'
import { ProjectStore } from '../../../src/store/index.js'
import { createFeatureToolServer, qualifiedToolNames, TOOL_SETS } from '../../../src/tools/index.js'
import { tempDir } from '../../helpers/tmp.js'
import { addFeature } from '../../helpers/tool-clients.js'
import { offlineEnv } from '../scripted-model/claude-session.js'

const scenario = {
  name: 'feature-tools',
  turns: [
    { tools: [{ name: 'mcp__features__feature_claim_and_get', input: { feature_id: 1 } }] },
    { tools: [{ name: 'mcp__features__feature_get_by_id', input: { feature_id: 'one' } }] },
    { tools: [{ name: 'mcp__features__feature_mark_passing', input: { feature_id: 1 } }] },
    { text: 'Done.' },
  ],
}

let model: ScriptedModel
const dir = tempDir('tools-claude-')

beforeAll(async () => {
  model = await startScriptedModel({ scenarios: [unwrap(parseScenario(scenario))] })
})

afterAll(async () => {
  await model.close()
  dir[Symbol.dispose]()
})

function toolResultOf(index: number): { content: unknown; is_error?: boolean } {
  const body = model.requests[index]?.body as { messages: Array<{ content: unknown }> }
  const blocks = body.messages.at(-1)!.content as Array<{
    type: string
    content: unknown
    is_error?: boolean
  }>
  return blocks.find((block) => block.type === 'tool_result')!
}

describe('feature tools in a Claude Code session', () => {
  it('lets a coding agent claim, get an error for bad input, and report a pass', async () => {
    const store = unwrap(ProjectStore.open(dir.path))
    const id = addFeature(store, { name: 'Login form' })
    expect(id).toBe(1)
    const ctx = {
      store,
      callerId: 'coding-1',
      role: 'coding' as const,
      leaseMs: 60_000,
      verifyPasses: true,
    }
    const session = query({
      prompt: '[[scenario:feature-tools]] Work on feature 1.',
      options: {
        model: 'claude-sonnet-4-5',
        cwd: dir.path,
        settingSources: [],
        permissionMode: 'bypassPermissions',
        allowDangerouslySkipPermissions: true,
        tools: [],
        allowedTools: qualifiedToolNames(TOOL_SETS.coding),
        mcpServers: { features: createFeatureToolServer(ctx) },
        persistSession: false,
        env: offlineEnv(model),
      },
    })
    const messages = []
    for await (const message of session) messages.push(message)
    expect(messages.at(-1)).toMatchObject({ type: 'result', subtype: 'success' })

    const offered = (model.requests[0]!.body as { tools: Array<{ name: string }> }).tools.map(
      (tool) => tool.name,
    )
    expect(offered.sort()).toEqual(qualifiedToolNames(TOOL_SETS.coding).sort())
    expect(JSON.stringify(toolResultOf(1))).toContain('Login form')
    expect(toolResultOf(2)).toMatchObject({ is_error: true })
    expect(JSON.stringify(toolResultOf(2))).toContain('Invalid arguments for feature_get_by_id')
    expect(JSON.stringify(toolResultOf(3))).toContain('Reported feature 1 as passing')

    expect(store.claims.holder(1)).toMatchObject({ agentId: 'coding-1', reported: 'passing' })
    const calls = store.events
      .after(0)
      .flatMap((event) =>
        event.type === 'tool.called' ? [[event.tool, event.caller, event.outcome]] : [],
      )
    expect(calls).toEqual([
      ['feature_claim_and_get', 'coding-1', 'ok'],
      ['feature_get_by_id', 'coding-1', 'error'],
      ['feature_mark_passing', 'coding-1', 'ok'],
    ])
    store.close()
  }, 60_000)
})
