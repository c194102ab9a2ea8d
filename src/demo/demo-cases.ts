import { z } from 'zod'

import { DEMO_SCENARIOS } from './demo-options.js'
import type { DemoFeature } from './demo-catalog.js'

export const DemoScenarioName = z.enum(
  Object.keys(DEMO_SCENARIOS) as [keyof typeof DEMO_SCENARIOS, ...(keyof typeof DEMO_SCENARIOS)[]],
)
export type DemoScenarioName = z.infer<typeof DemoScenarioName>

/** Which features (catalog indices) play which case; null: the case is not in the scenario. */
export interface DemoCases {
  rateLimit: number | null
  failingCheck: number | null
  needsHuman: number | null
  mergeConflict: boolean
}

const NONE: DemoCases = {
  rateLimit: null,
  failingCheck: null,
  needsHuman: null,
  mergeConflict: false,
}

/** What a scenario needs of the board and the run. */
const NEEDS: Readonly<Record<DemoScenarioName, { features: number; concurrency: number }>> = {
  standard: { features: 1, concurrency: 1 },
  'needs-human': { features: 2, concurrency: 1 },
  'merge-conflict': { features: 3, concurrency: 2 },
  'failing-check': { features: 2, concurrency: 1 },
  'rate-limit': { features: 2, concurrency: 1 },
  all: { features: 4, concurrency: 2 },
}

/** Why a scenario cannot play on this board or run (a sentence that says what to change), or null. */
export function demoScenarioProblem(
  scenario: DemoScenarioName,
  board: { features: number; concurrency: number },
): string | null {
  const needs = NEEDS[scenario]
  if (board.features < needs.features)
    return `--scenario ${scenario} needs --features ${needs.features} or more (the board has ${board.features}).`
  if (board.concurrency < needs.concurrency)
    return `--scenario ${scenario} needs --concurrency ${needs.concurrency} or more: two agents must work at the same time.`
  return null
}

/** The first feature from `from` on that no other feature of the board depends on (else the last). */
function firstLeaf(board: readonly DemoFeature[], from: number): number {
  const needed = new Set(board.flatMap((feature) => feature.dependsOn))
  for (let index = from; index < board.length; index++) if (!needed.has(index)) return index
  return board.length - 1
}

/**
 * The cases of a scenario on a board (the catalog prefix the initializer creates): the rate limit
 * hits the first helper, the failing check the first (or, with every case, the second), and the
 * question a helper nothing else waits for, so the rest of the run goes on while it waits.
 */
export function demoCases(scenario: DemoScenarioName, board: readonly DemoFeature[]): DemoCases {
  if (board.length < 2) return NONE
  switch (scenario) {
    case 'standard':
      return NONE
    case 'rate-limit':
      return { ...NONE, rateLimit: 1 }
    case 'failing-check':
      return { ...NONE, failingCheck: 1 }
    case 'needs-human':
      return { ...NONE, needsHuman: firstLeaf(board, 1) }
    case 'merge-conflict':
      return { ...NONE, mergeConflict: true }
    case 'all':
      return {
        rateLimit: 1,
        failingCheck: Math.min(2, board.length - 1),
        needsHuman: Math.min(firstLeaf(board, 3), board.length - 1),
        mergeConflict: true,
      }
  }
}
