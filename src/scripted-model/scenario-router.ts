import type { ScriptContext } from './model-request.js'
import type { Scenario } from './plan-turn.js'

/** What a resolver sees: the request context before the retry count is known. */
export type RequestView = Omit<ScriptContext, 'attempt'>

export interface ScenarioRouting {
  scenarios?: readonly Scenario[] | undefined
  scenarioResolver?: ((view: RequestView) => Scenario | string | undefined) | undefined
  defaultScenario?: string | undefined
}

/**
 * Picks the scenario of a request: the resolver first, then `[[scenario:NAME]]`, then
 * `[[agent:ID]]` naming a scenario, then the default. Names must be unique.
 */
export class ScenarioRouter {
  readonly #byName = new Map<string, Scenario>()

  constructor(private readonly routing: ScenarioRouting) {
    for (const scenario of routing.scenarios ?? []) {
      if (this.#byName.has(scenario.name))
        throw new Error(`two scenarios are named "${scenario.name}"; names must be unique`)
      this.#byName.set(scenario.name, scenario)
    }
  }

  /** The scenario of a request, or why there is none (as the 400 answer's text). */
  resolve(view: RequestView): { scenario: Scenario } | { problem: string } {
    const picked = this.#pick(view)
    if (typeof picked === 'object') return { scenario: picked }
    const known = [...this.#byName.keys()].join(', ') || 'none'
    const what = picked === undefined ? 'no scenario selected' : `unknown scenario "${picked}"`
    return {
      problem: `${what}: put [[scenario:NAME]] in the system prompt or first user message, or set defaultScenario/scenarioResolver (known: ${known})`,
    }
  }

  #pick(view: RequestView): Scenario | string | undefined {
    const byName = this.#byName
    const picked = this.routing.scenarioResolver?.(view)
    if (picked !== undefined)
      return typeof picked === 'string' ? (byName.get(picked) ?? picked) : picked
    const agent = view.markers['agent']
    const name =
      view.markers['scenario'] ??
      (agent !== undefined && byName.has(agent) ? agent : this.routing.defaultScenario)
    if (name === undefined) return undefined
    return byName.get(name) ?? name
  }
}
