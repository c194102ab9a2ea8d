import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { unwrap } from '../../../src/core/index.js'
import { ProjectStore } from '../../../src/store/index.js'
import { TOOL_NAMES, TOOL_SETS } from '../../../src/tools/index.js'
import { CALLERS, expectCaseOutcome, expectLogged, TOOL_CASES } from '../../helpers/tool-cases.js'
import type { Caller } from '../../helpers/tool-cases.js'
import { clearBoard, stdioClient } from '../../helpers/tool-clients.js'
import type { ToolClient } from '../../helpers/tool-clients.js'
import { tempDir } from '../../helpers/tmp.js'

// The same table as test/unit/tools/tool-cases.test.ts, over stdio: one `autocoder mcp` process per
// caller on one project database; the test sets up each case through its own store connection.
describe('feature tools over stdio (autocoder mcp)', () => {
  const dir = tempDir()
  const clients = new Map<Caller, ToolClient>()
  let store: ProjectStore

  beforeAll(async () => {
    store = unwrap(ProjectStore.open(dir.path))
    const callers = Object.keys(CALLERS) as Caller[]
    const started = await Promise.all(
      callers.map((caller) =>
        caller === 'operator'
          ? stdioClient(dir.path)
          : stdioClient(dir.path, { agentId: caller, role: CALLERS[caller] }),
      ),
    )
    callers.forEach((caller, index) => clients.set(caller, started[index]!))
  }, 60_000)

  afterAll(async () => {
    await Promise.all([...clients.values()].map((client) => client.close()))
    store?.close()
    dir[Symbol.dispose]()
  })

  it('lists exactly the tools of each role', async () => {
    expect((await clients.get('operator')!.listTools()).sort()).toEqual([...TOOL_NAMES].sort())
    expect((await clients.get('testing-1')!.listTools()).sort()).toEqual(
      [...TOOL_SETS.testing].sort(),
    )
    expect((await clients.get('init-1')!.listTools()).sort()).toEqual(
      [...TOOL_SETS.initializer].sort(),
    )
  })

  for (const testCase of TOOL_CASES) {
    it(testCase.title, async () => {
      clearBoard(store)
      const ids = testCase.setup?.(store) ?? {}
      const before = store.events.lastId()
      const reply = await clients.get(testCase.caller)!.call(testCase.tool, testCase.args(ids))
      expectCaseOutcome(testCase, reply, ids, store)
      expectLogged(store, before, testCase, reply, testCase.caller)
    })
  }
})
