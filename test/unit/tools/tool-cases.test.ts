import { describe, it } from 'vitest'

import { ProjectStore } from '../../../src/store/index.js'
import { FakeClock } from '../../fakes/fake-clock.js'
import { CALLERS, expectCaseOutcome, expectLogged, TOOL_CASES } from '../../helpers/tool-cases.js'
import { inProcessClient } from '../../helpers/tool-clients.js'

// Every tool and each of its error cases through the in-process server (the Agent SDK's McpServer),
// called with an MCP client over a linked in-memory transport. The stdio twin of this file runs the
// same table against `autocoder mcp`.
describe('feature tools in process', () => {
  for (const testCase of TOOL_CASES) {
    it(testCase.title, async () => {
      const store = ProjectStore.memory(new FakeClock())
      const client = await inProcessClient({
        store,
        callerId: testCase.caller,
        role: CALLERS[testCase.caller],
        leaseMs: 3_600_000,
        verifyPasses: false,
      })
      try {
        const ids = testCase.setup?.(store) ?? {}
        const before = store.events.lastId()
        const reply = await client.call(testCase.tool, testCase.args(ids))
        expectCaseOutcome(testCase, reply, ids, store)
        expectLogged(store, before, testCase, reply, testCase.caller)
      } finally {
        await client.close()
        store.close()
      }
    })
  }
})
