import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import type { Clock } from '../core/index.js'
import type { DynamicScenario, ScriptContext, Step } from '../scripted-model/index.js'
import type { DemoCases } from './demo-cases.js'
import { DEMO_INIT_SCRIPT } from './demo-catalog.js'
import type { DemoFeature } from './demo-catalog.js'
import { ConflictPair } from './demo-pair.js'

/** Token usage the demo model reports per reply (plausible figures for a small session). */
export const DEMO_USAGE = {
  input_tokens: 1800,
  output_tokens: 160,
  cache_creation_input_tokens: 600,
  cache_read_input_tokens: 5200,
}

/** The forbidden command the agent building the first feature tries, to show the policy refusing it. */
export const DEMO_FORBIDDEN_COMMAND = 'sudo npm install -g utilkit'

/** The package entry point the merge-conflict pair both change. */
const ENTRY = 'src/index.mjs'

export interface DemoScenarioOptions {
  /** The features the initializer creates (a prefix of the catalog). */
  board: readonly DemoFeature[]
  /** The catalog entry of a feature id (the demo maps ids through the store). */
  featureById: (id: number) => DemoFeature | undefined
  cases: DemoCases
  clock: Clock
  /** Whether a feature is claimed now (the merge-conflict pair waits for a merge through it). */
  isClaimed: (featureId: number) => boolean
  /** How long a merge-conflict pair member waits for the other; default PAIR_WAIT_MS. */
  pairWaitMs?: number
}

/** What the demo model must know of an agent; the orchestrator's assignment has these fields. */
export interface DemoAgentView {
  agentId: string
  role: string
  featureIds: readonly number[]
  /** The agent's checkout (its worktree): every path the model writes is inside it. */
  cwd: string
}

type Turn = Step | Step[]

const tool = (name: string, input: Record<string, unknown>, text?: string): Step => ({
  ...(text ? { text } : {}),
  tools: [{ name, input }],
})
const features = (name: string): string => `mcp__features__${name}`

function hasContent(path: string, content: string): boolean {
  return existsSync(path) && readFileSync(path, 'utf8') === content
}

/** `[[role:NAME]]` in the prompt tells the demo model which agent it plays. */
export function demoRoleMarker(role: string): string {
  return `[[role:${role}]]`
}

/** The markers appended to an agent's prompt: its id, role, features and working directory. */
export function demoPromptSuffix(agent: DemoAgentView): string {
  return `[[agent:${agent.agentId}]] ${demoRoleMarker(agent.role)} [[features:${agent.featureIds.join(',')}]] [[cwd:${agent.cwd}]]`
}

function initializerSteps(options: DemoScenarioOptions, cwd: string): Turn[] {
  const { board } = options
  const linked = board.filter((feature) => feature.dependsOn.length > 0).length
  const categories = new Set(board.slice(1).map((feature) => feature.category)).size
  return [
    tool('Read', { file_path: join(cwd, 'app_spec.txt') }, 'Reading the app specification.'),
    tool(
      features('feature_create_bulk'),
      {
        features: board.map((feature) => ({
          category: feature.category,
          name: feature.name,
          description: feature.description,
          steps: feature.steps,
          ...(feature.dependsOn.length > 0 ? { depends_on_indices: feature.dependsOn } : {}),
        })),
      },
      `Creating ${board.length} features${categories > 0 ? ` in ${categories + 1} categories` : ''}; ${linked} of them depend on earlier ones.`,
    ),
    tool('Write', { file_path: join(cwd, 'init.sh'), content: DEMO_INIT_SCRIPT }),
    tool('Bash', { command: 'chmod +x init.sh', description: 'Make init.sh executable' }),
    { text: `Set up ${board.length} features and init.sh. Ready for coding agents.` },
  ]
}

/** What the claim told the agent: attempts so far, the state, a person's answer. */
interface Claimed {
  attempts: number
  answer: string | null
}

function readClaim(text: string): Claimed {
  try {
    const view = JSON.parse(text) as {
      attempts?: unknown
      human_input?: { answer?: { text?: unknown } | null } | null
    }
    const answer = view.human_input?.answer?.text
    return {
      attempts: typeof view.attempts === 'number' ? view.attempts : 0,
      answer: typeof answer === 'string' ? answer : null,
    }
  } catch {
    return { attempts: 0, answer: null }
  }
}

/** One coding conversation's script, built turn by turn up to the turn being asked for. */
class CodingPlan {
  readonly turns: Turn[] = []
  /** Features this agent built, in order. */
  readonly built: number[] = []
  /** The position of each feature's `feature_mark_passing` turn. */
  readonly markAt = new Map<number, number>()

  constructor(
    private readonly options: DemoScenarioOptions,
    private readonly context: ScriptContext,
    private readonly cwd: string,
    /**
     * Whether the agent also exports the feature from the package entry (`conflicted`: an
     * earlier merge of it conflicted).
     */
    private readonly exports: (id: number, conflicted: boolean) => boolean = () => false,
  ) {}

  /** True once the turn being asked for is planned: later ones would need results not seen yet. */
  get done(): boolean {
    return this.turns.length > this.context.position
  }

  #result(position: number): string {
    return (this.context.history[position] ?? []).map((result) => result.text).join('\n')
  }

  #is(feature: DemoFeature, index: number | null): boolean {
    return index !== null && this.options.board[index] === feature
  }

  feature(id: number): void {
    const feature = this.options.featureById(id)
    const claimAt = this.turns.length
    this.turns.push(
      tool(features('feature_claim_and_get'), { feature_id: id }, `Working on feature #${id}.`),
    )
    if (this.done) return
    if (!feature) {
      this.turns.push({ text: `Feature #${id} is not part of the demo catalog; skipping it.` })
      return
    }
    const claimed = readClaim(this.#result(claimAt))
    let notes = ''
    if (claimed.attempts > 0) {
      const notesAt = this.turns.length
      this.turns.push(
        tool(
          features('feature_get_notes'),
          { feature_id: id, kinds: ['evidence'] },
          `Feature #${id} was attempted before; reading why it did not pass.`,
        ),
      )
      if (this.done) return
      notes = this.#result(notesAt)
    }
    const { cases } = this.options
    if (this.#is(feature, cases.needsHuman) && claimed.answer === null) {
      this.turns.push(
        tool(
          features('feature_ask_human'),
          {
            feature_id: id,
            question: `${feature.name}: should it throw a TypeError for input of the wrong type, or return such input unchanged?`,
            choices: ['Throw a TypeError', 'Return it unchanged'],
          },
          `The spec does not say how ${feature.name} treats bad input; asking a person.`,
        ),
      )
      return
    }
    const checkFailed = /the check failed/.test(notes)
    const conflicted = /conflicts with the project branch/.test(notes)
    const skipsTest = this.#is(feature, cases.failingCheck) && !checkFailed
    this.built.push(id)
    this.#build(id, feature, {
      skipsTest,
      rateLimited: this.#is(feature, cases.rateLimit) && claimed.attempts === 0,
      exportLine: this.exports(id, conflicted) ? (feature.module?.exportLine ?? null) : null,
      note: [
        checkFailed ? 'Fixed after the failed check: the helper was left unfinished.' : '',
        claimed.answer === null ? '' : `As the person answered: ${claimed.answer}.`,
      ],
    })
  }

  /**
   * The turn that writes the feature's files (its module unfinished when it skips the test), after
   * two rate limits when asked; returns the files.
   */
  #writeFiles(
    feature: DemoFeature,
    how: { skipsTest: boolean; rateLimited: boolean },
  ): Record<string, string> {
    const { cwd } = this
    const files =
      how.skipsTest && feature.module
        ? { ...feature.files, [feature.module.path]: feature.module.unfinished }
        : feature.files
    // Files already there as they should be (init.sh from the initializer) are not written again.
    const writes = Object.entries(files)
      .filter(([path, content]) => !hasContent(join(cwd, path), content))
      .map(([path, content]) => ({ name: 'Write', input: { file_path: join(cwd, path), content } }))
    const write: Step = {
      text: `Writing ${writes.map((entry) => entry.input.file_path.slice(cwd.length + 1)).join(', ')}.`,
      tools: writes,
    }
    const retryAfter = 2
    this.turns.push(
      how.rateLimited
        ? [{ fault: 'rate_limit', retryAfter }, { fault: 'rate_limit', retryAfter }, write]
        : write,
    )
    return files
  }

  #build(
    id: number,
    feature: DemoFeature,
    how: { skipsTest: boolean; rateLimited: boolean; exportLine: string | null; note: string[] },
  ): void {
    const files = this.#writeFiles(feature, how)
    if (how.exportLine !== null) {
      this.#exportFrom(how.exportLine)
      if (this.done) return
    }
    const check =
      how.skipsTest && feature.module ? `node --check ${feature.module.path}` : feature.check
    this.turns.push(
      how.skipsTest
        ? tool(
            'Bash',
            { command: check, description: 'Check the module parses' },
            'The module parses; that will do, the test can run later.',
          )
        : tool(
            'Bash',
            { command: check, description: 'Run the feature test' },
            'Running the test.',
          ),
    )
    const isFirst = feature === this.options.board[0]
    let refused = ''
    if (isFirst) {
      const forbiddenAt = this.turns.length
      this.turns.push(
        tool(
          'Bash',
          { command: DEMO_FORBIDDEN_COMMAND, description: 'Install globally' },
          'Installing the package globally.',
        ),
      )
      if (this.done) return
      refused = this.#result(forbiddenAt).split('\n')[0] ?? ''
    }
    this.turns.push({
      ...(isFirst
        ? {
            text: `That was refused (${refused.slice(0, 120)}); a global install is not needed anyway.`,
          }
        : {}),
      tools: [
        {
          name: features('feature_add_note'),
          input: {
            feature_id: id,
            kind: 'evidence',
            text: [
              `${check} passed; files: ${Object.keys(files).join(', ')}`,
              ...how.note.filter((line) => line !== ''),
            ].join('\n'),
          },
        },
        {
          name: 'Bash',
          input: {
            command: `git add -A && git commit -q -m "Feature #${id}: ${feature.name}"`,
            description: 'Commit the feature',
          },
        },
      ],
    })
    this.markAt.set(id, this.turns.length)
    this.turns.push(tool(features('feature_mark_passing'), { feature_id: id }))
  }

  /** Reads the package entry point and adds `line` to it (as it is in the checkout then). */
  #exportFrom(line: string): void {
    const path = join(this.cwd, ENTRY)
    this.turns.push(tool('Read', { file_path: path }, `Exporting the new helper from ${ENTRY}.`))
    if (this.done) return
    const current = existsSync(path) ? readFileSync(path, 'utf8') : ''
    const content = current.includes(line) ? current : `${current}${line}\n`
    this.turns.push(tool('Write', { file_path: path, content }))
  }
}

function featureIdsOf(context: ScriptContext): number[] {
  const marked = (context.markers['features'] ?? '')
    .split(',')
    .filter((id) => /^\d+$/.test(id))
    .map(Number)
  return marked.length > 0 ? marked : context.featureIds.slice(0, 1)
}

/**
 * The scripted model's part in `autocoder demo`: plays the initializer (creates the board's
 * features, writes init.sh) and coding agents (per feature: claim, write real files, run the
 * test, evidence, commit, mark passing; one forbidden command on the first feature), with the
 * cases of the chosen scenario (see DEMO_SCENARIOS). Paths follow the agent's working directory
 * (`[[cwd:...]]`, its worktree). Each turn follows from the conversation (its position and the
 * tool results so far), so retries, restarts and parallel agents work; only the merge-conflict
 * pair shares state between conversations.
 */
export function createDemoScenario(options: DemoScenarioOptions): DynamicScenario {
  const firstId = (id: number): boolean => options.featureById(id) === options.board[0]
  const failing = options.cases.failingCheck
  const pair = new ConflictPair({
    clock: options.clock,
    isClaimed: options.isClaimed,
    avoid: (id) => failing !== null && options.featureById(id) === options.board[failing],
    ...(options.pairWaitMs !== undefined ? { waitMs: options.pairWaitMs } : {}),
  })
  const coding = (context: ScriptContext, cwd: string): Turn | Promise<Turn> => {
    const ids = featureIdsOf(context)
    const agent = context.markers['agent'] ?? context.conversationId
    const inPair = options.cases.mergeConflict && !ids.some(firstId) && pair.join(agent, ids)
    // A pair member exports its first helper; after a conflict, the redo exports it again.
    const plan = new CodingPlan(options, context, cwd, (id, conflicted) => {
      if (!options.cases.mergeConflict) return false
      if (!inPair) return conflicted && pair.exported.has(id)
      if (plan.built[0] !== id) return false
      pair.exported.add(id)
      return true
    })
    for (const id of ids) if (!plan.done) plan.feature(id)
    plan.turns.push({
      text: `Features ${ids.map((id) => `#${id}`).join(', ')} are done: implemented, tested and committed, or waiting for a person.`,
    })
    const turn = plan.turns[context.position] ?? { text: 'Done.' }
    // The pair's order holds at a member's last report: its work merges as soon as it is reported.
    if (!inPair || context.position !== plan.markAt.get(ids.at(-1) ?? -1)) return turn
    return pair.beforeLastReport(agent).then(() => turn)
  }
  return {
    kind: 'dynamic',
    name: 'autocoder-demo',
    usage: DEMO_USAGE,
    model: 'claude-sonnet-4-5',
    respond: (context) => {
      const role = context.markers['role']
      const cwd = context.markers['cwd'] ?? context.cwd ?? '.'
      if (role === 'initializer')
        return initializerSteps(options, cwd)[context.position] ?? { text: 'Done.' }
      if (role === 'coding' && featureIdsOf(context).length > 0) return coding(context, cwd)
      return { text: 'The demo model only plays the initializer and coding agents.' }
    },
  }
}
