import { z } from 'zod'

import { err, ok, type Result } from '../core/index.js'
import { compileTurns } from './load-scenario.js'
import type { ScriptContext } from './model-request.js'
import {
  Fault,
  ReplyTurn,
  type AttemptFault,
  type ScriptedScenario,
  type ScriptTurn,
  type Step,
  type Usage,
} from './scenario-schema.js'

/**
 * A scenario written in code: `respond` is called for every request routed to it and returns the
 * turn for `context.position`: a reply, or faults followed by a reply (`[{fault:'rate_limit'}, {text}]`,
 * the server then answers attempt N with element N). It may read tool results, the prompt, markers.
 */
export interface DynamicScenario {
  kind: 'dynamic'
  name: string
  respond: (context: ScriptContext) => Step | Step[] | Promise<Step | Step[]>
  /** Default usage for replies that give none. */
  usage?: Usage
  model?: string
}

export type Scenario = ScriptedScenario | DynamicScenario

/** What the server does with one request. */
export type Plan =
  | { kind: 'fault'; fault: AttemptFault }
  | { kind: 'reply'; reply: ReplyTurn; delayMs: number }
  | { kind: 'exhausted' }

/** Picks the answer to attempt `attempt` (0-based) of a turn: its faults in order, then the reply. */
export function planTurn(turn: ScriptTurn | undefined, attempt: number): Plan {
  if (turn === undefined) return { kind: 'exhausted' }
  const fault = turn.faults[attempt]
  if (fault !== undefined) return { kind: 'fault', fault }
  if (turn.reply === undefined) return { kind: 'exhausted' }
  return { kind: 'reply', reply: turn.reply, delayMs: turn.delayMs }
}

const DynamicStep = z.union([Fault, ReplyTurn])

/** Validates what a dynamic scenario returned and turns it into one `ScriptTurn`. */
export function dynamicTurn(value: unknown, scenario: string): Result<ScriptTurn> {
  const steps = z.array(DynamicStep).safeParse(Array.isArray(value) ? value : [value])
  if (!steps.success) {
    return err(
      'SCENARIO_INVALID',
      `dynamic scenario "${scenario}" returned an invalid turn: ${z.prettifyError(steps.error)}`,
    )
  }
  const turns = compileTurns(steps.data)
  if (turns.length !== 1) {
    return err(
      'SCENARIO_INVALID',
      `dynamic scenario "${scenario}" must return one reply (optionally after faults), got ${turns.length}`,
    )
  }
  return ok(turns[0]!)
}
