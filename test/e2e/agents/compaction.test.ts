// The PreCompact hook of every session: its keep/drop instructions reach the summary request
// Claude Code sends when it compacts the context (here triggered with /compact).
import type { SDKUserMessage } from '@anthropic-ai/claude-agent-sdk'
import { query } from '@anthropic-ai/claude-agent-sdk'
import { describe, expect, it } from 'vitest'

import { COMPACT_INSTRUCTIONS, wireSession } from '../../../src/agents/index.js'
import { unwrap } from '../../../src/core/result.js'
import { parseScenario, startScriptedModel } from '../../../src/scripted-model/index.js'
import { ProjectStore } from '../../../src/store/index.js'
import { tempDir } from '../../helpers/tmp.js'

const user = (content: string): SDKUserMessage => ({
  type: 'user',
  message: { role: 'user', content },
  parent_tool_use_id: null,
})

describe('context compaction', () => {
  it('sends the keep/drop instructions with the summary request', async () => {
    using dir = tempDir()
    const scenario = unwrap(
      parseScenario({
        name: 'compact',
        turns: [{ text: 'A long answer. '.repeat(40) }, { text: 'Summary.' }, { text: 'ok' }],
      }),
    )
    await using model = await startScriptedModel({
      scenarios: [scenario],
      defaultScenario: 'compact',
    })
    const store = unwrap(ProjectStore.open(dir.path))
    const spec = unwrap(
      await wireSession({
        role: 'coding',
        agentId: 'a',
        store,
        projectDir: dir.path,
        cwd: dir.path,
        env: {},
        leaseMs: 60_000,
        verifyPasses: false,
        // Only text turns here: no Bash, no browser to contain.
        sandbox: null,
      }),
    )
    store.close()
    async function* prompts(): AsyncGenerator<SDKUserMessage> {
      yield user('hello')
      await new Promise((resolve) => setTimeout(resolve, 1500))
      yield user('/compact')
    }
    const session = query({
      prompt: prompts(),
      options: {
        model: 'claude-sonnet-4-5',
        cwd: dir.path,
        tools: [],
        settingSources: [],
        persistSession: false,
        permissionMode: 'bypassPermissions',
        allowDangerouslySkipPermissions: true,
        hooks: { PreCompact: spec.hooks.PreCompact ?? [] },
        env: {
          PATH: process.env['PATH'],
          HOME: process.env['HOME'],
          ...model.env,
          IS_SANDBOX: '1',
        },
      },
    })
    let results = 0
    try {
      for await (const message of session) if (message.type === 'result' && ++results === 2) break
    } finally {
      session.close()
    }
    const bodies = model.requests
      .filter((request) => request.kind === 'messages')
      .map((request) => JSON.stringify(request.body))
    expect(bodies.some((body) => body.includes(COMPACT_INSTRUCTIONS.slice(0, 60)))).toBe(true)
  })
})
