// The attacks through `autocoder run --agent coding`: the real claude binary driven by the scripted
// model, the project's real security hook and OS sandbox, a canary folder outside the project and
// canary credentials in a fake home. Each class asserted here holds on main; the others are
// reported by `npx tsx test/attacks/run.ts` (see test/attacks/README.md) until their fix lands.
import { beforeAll, describe, it } from 'vitest'

import type { AttackClass } from './attack.js'
import type { ModeReport } from './modes.js'
import { expectContained, runAndPrint } from './sessions.js'

const WITH_SANDBOX: readonly AttackClass[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13]

describe('attacks on a single agent with the OS sandbox', () => {
  let report: ModeReport
  beforeAll(async () => {
    report = await runAndPrint({ agents: 'single', sandbox: true }, WITH_SANDBOX)
  }, 900_000)

  it.each(WITH_SANDBOX)('class %i: nothing gets out', (cls) => {
    expectContained(report, cls)
  })
})
