import { readFile, readdir } from 'node:fs/promises'
import { extname, join } from 'node:path'

import { parse as parseYaml } from 'yaml'
import type { z } from 'zod'

import { err, ok, type AppError, type Result } from '../core/index.js'
import {
  Fault,
  ReplyTurn,
  ScenarioHeader,
  type AttemptFault,
  type ScriptedScenario,
  type ScriptTurn,
  type Step,
} from './scenario-schema.js'

/** SCENARIO_INVALID: the data does not match the scenario schema. SCENARIO_UNREADABLE: the file cannot be read or parsed. */
export type ScenarioErrorCode = 'SCENARIO_INVALID' | 'SCENARIO_UNREADABLE'
export type ScenarioError = AppError<ScenarioErrorCode>

function describeIssues(error: z.ZodError, prefix: string): string[] {
  return error.issues.map((issue) => {
    const path = issue.path
      .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
      .join('')
    return `${prefix}${path}: ${issue.message}`
  })
}

function parseStep(
  raw: Record<string, unknown>,
  index: number,
): { step?: Step; problems: string[] } {
  const schema = 'fault' in raw ? Fault : ReplyTurn
  const parsed = schema.safeParse(raw)
  if (parsed.success) return { step: parsed.data, problems: [] }
  return { problems: describeIssues(parsed.error, `turns[${index}]`) }
}

/** Groups steps into turns: faults (and `slow`) apply to the next reply. */
export function compileTurns(steps: readonly Step[]): ScriptTurn[] {
  const turns: ScriptTurn[] = []
  let faults: AttemptFault[] = []
  let delayMs = 0
  for (const step of steps) {
    if ('fault' in step) {
      if (step.fault === 'slow') delayMs = step.delayMs
      else faults.push(step)
      continue
    }
    turns.push({ faults, delayMs, reply: step })
    faults = []
    delayMs = 0
  }
  if (faults.length > 0) turns.push({ faults, delayMs, reply: undefined })
  return turns
}

/** Validates scenario data (already parsed from JSON or YAML); `source` names it in messages. */
export function parseScenario(
  data: unknown,
  source = 'scenario',
): Result<ScriptedScenario, ScenarioError> {
  const header = ScenarioHeader.safeParse(data)
  if (!header.success) {
    return err(
      'SCENARIO_INVALID',
      `${source} is not a valid scenario:\n  ${describeIssues(header.error, 'scenario').join('\n  ')}`,
    )
  }
  const steps: Step[] = []
  const problems: string[] = []
  header.data.turns.forEach((raw, index) => {
    const parsed = parseStep(raw, index)
    if (parsed.step !== undefined) steps.push(parsed.step)
    problems.push(...parsed.problems)
  })
  if (problems.length > 0) {
    return err(
      'SCENARIO_INVALID',
      `${source} (scenario "${header.data.name}") has invalid turns:\n  ${problems.join('\n  ')}`,
    )
  }
  const { turns: _raw, ...rest } = header.data
  const scenario: ScriptedScenario = { kind: 'scripted', ...rest, turns: compileTurns(steps) }
  return ok(scenario)
}

/** Reads one scenario from a `.json`, `.yaml` or `.yml` file. */
export async function loadScenarioFile(
  path: string,
): Promise<Result<ScriptedScenario, ScenarioError>> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (cause) {
    return err('SCENARIO_UNREADABLE', `cannot read scenario file ${path}: ${String(cause)}`, cause)
  }
  let data: unknown
  try {
    data = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text)
  } catch (cause) {
    return err(
      'SCENARIO_UNREADABLE',
      `scenario file ${path} is not valid ${extname(path).slice(1).toUpperCase()}: ${String(cause)}`,
      cause,
    )
  }
  return parseScenario(data, path)
}

/** Reads every `.json`/`.yaml`/`.yml` file of a directory; the first invalid file or repeated name fails the whole load. */
export async function loadScenarioDir(
  dir: string,
): Promise<Result<ScriptedScenario[], ScenarioError>> {
  let names: string[]
  try {
    names = (await readdir(dir))
      .filter((name) => ['.json', '.yaml', '.yml'].includes(extname(name)))
      .sort()
  } catch (cause) {
    return err(
      'SCENARIO_UNREADABLE',
      `cannot list scenario directory ${dir}: ${String(cause)}`,
      cause,
    )
  }
  const scenarios: ScriptedScenario[] = []
  for (const name of names) {
    const loaded = await loadScenarioFile(join(dir, name))
    if (!loaded.ok) return loaded
    const twin = scenarios.find((scenario) => scenario.name === loaded.value.name)
    if (twin !== undefined)
      return err(
        'SCENARIO_INVALID',
        `${join(dir, name)}: another file in ${dir} already defines scenario "${twin.name}"; rename one`,
      )
    scenarios.push(loaded.value)
  }
  return ok(scenarios)
}
