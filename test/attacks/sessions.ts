// What the vitest files share: run a mode once, print its figures, and assert class by class.
import { beforeAll, describe, expect, it } from 'vitest'

import type { AttackClass } from './attack.js'
import { attacksOf } from './catalog/index.js'
import type { AttackMode, ModeReport } from './modes.js'
import { modeName, runAttackMode } from './modes.js'
import { classFigures, figureLine } from './report.js'

/** Runs the Bash attacks of `classes` in `mode` and prints one JSON line per class, then the timing. */
export async function runAndPrint(
  mode: AttackMode,
  classes: readonly AttackClass[],
): Promise<ModeReport> {
  const report = await runAttackMode(mode, attacksOf(classes))
  for (const figure of classFigures(report)) process.stdout.write(`${figureLine(figure)}\n`)
  process.stdout.write(`${JSON.stringify({ mode: modeName(mode), timing: report.timing })}\n`)
  return report
}

/** Nothing of `cls` got out, every attack of it ran, and no evidence went unexplained. */
export function expectContained(report: ModeReport, cls: AttackClass): void {
  const figure = classFigures(report).find((candidate) => candidate.cls === cls)
  expect(figure, `class ${cls} ran`).toBeDefined()
  const escapes = report.outcomes
    .filter((outcome) => outcome.attack.cls === cls && outcome.escapes.length > 0)
    .map((outcome) => ({ id: outcome.attack.id, escapes: outcome.escapes }))
  expect(escapes).toEqual([])
  expect(figure!.notRun).toEqual([])
  expect(figure!.attempted).toBeGreaterThanOrEqual(10)
  expect(report.unattributed).toEqual([])
}

/**
 * One agent session in `mode` takes the attacks of `classes` (those main holds); each class is a
 * test. The other classes are reported by `npx tsx test/attacks/run.ts` until their fix lands.
 */
export function describeAttacks(mode: AttackMode, classes: readonly AttackClass[]): void {
  describe(`attacks through real agent sessions, ${modeName(mode)}`, () => {
    let report: ModeReport
    beforeAll(async () => {
      report = await runAndPrint(mode, classes)
    }, 900_000)

    it.each(classes)('class %i: nothing gets out', (cls) => {
      expectContained(report, cls)
    })
  })
}
