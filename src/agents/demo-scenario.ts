import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import type { DynamicScenario, ScriptContext, Step } from '../scripted-model/index.js'
import { DEMO_FEATURES, DEMO_INIT_SCRIPT } from './demo-catalog.js'
import type { DemoFeature } from './demo-catalog.js'

/** Token usage the demo model reports per reply (plausible figures for a small session). */
export const DEMO_USAGE = {
  input_tokens: 1800,
  output_tokens: 160,
  cache_creation_input_tokens: 600,
  cache_read_input_tokens: 5200,
}

/** The forbidden command the agent building the first feature tries, to show the policy refusing it. */
export const DEMO_FORBIDDEN_COMMAND = 'sudo npm install -g textkit'

export interface DemoScenarioOptions {
  /** How many catalog features the initializer creates. */
  featureCount: number
  /** The catalog entry of a feature id (the demo maps ids through the store). */
  featureById: (id: number) => DemoFeature | undefined
}

/** What the demo model must know of an agent; the orchestrator's assignment has these fields. */
export interface DemoAgentView {
  role: string
  featureIds: readonly number[]
  /** The agent's checkout (its worktree): every path the model writes is inside it. */
  cwd: string
}

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

/** The markers appended to an agent's prompt: its role, its features and its working directory. */
export function demoPromptSuffix(agent: DemoAgentView): string {
  return `${demoRoleMarker(agent.role)} [[features:${agent.featureIds.join(',')}]] [[cwd:${agent.cwd}]]`
}

function initializerSteps(options: DemoScenarioOptions, cwd: string): Step[] {
  const chosen = DEMO_FEATURES.slice(0, options.featureCount)
  return [
    tool('Read', { file_path: join(cwd, 'app_spec.txt') }, 'Reading the app specification.'),
    tool(
      features('feature_create_bulk'),
      {
        features: chosen.map((feature, index) => ({
          category: feature.category,
          name: feature.name,
          description: feature.description,
          steps: feature.steps,
          ...(index > 0 ? { depends_on_indices: [0] } : {}),
        })),
      },
      `Creating ${chosen.length} features; every utility depends on the project skeleton.`,
    ),
    tool('Write', { file_path: join(cwd, 'init.sh'), content: DEMO_INIT_SCRIPT }),
    tool('Bash', { command: 'chmod +x init.sh', description: 'Make init.sh executable' }),
    { text: `Set up ${chosen.length} features and init.sh. Ready for coding agents.` },
  ]
}

/** One feature's steps: claim, write its files, run its test (and the forbidden command), report. */
function featureSteps(
  options: DemoScenarioOptions,
  featureId: number,
  cwd: string,
  context: ScriptContext,
  offset: number,
): Step[] {
  const feature = options.featureById(featureId)
  const claim = tool(
    features('feature_claim_and_get'),
    { feature_id: featureId },
    `Working on feature #${featureId}.`,
  )
  if (!feature)
    return [claim, { text: `Feature #${featureId} is not part of the demo catalog; skipping it.` }]
  const isFirst = feature === DEMO_FEATURES[0]
  // Files already there as they should be (init.sh from the initializer) are not written again.
  const writes = Object.entries(feature.files)
    .filter(([path, content]) => !hasContent(join(cwd, path), content))
    .map(([path, content]) => ({ name: 'Write', input: { file_path: join(cwd, path), content } }))
  // The note step answers the refusal: its tool result is the previous turn's.
  const noteAt = offset + (isFirst ? 4 : 3)
  const refused =
    context.position === noteAt ? (context.toolResults[0]?.text.split('\n')[0] ?? '') : ''
  return [
    claim,
    {
      text: `Writing ${writes.map((write) => write.input.file_path.slice(cwd.length + 1)).join(', ')}.`,
      tools: writes,
    },
    tool(
      'Bash',
      { command: feature.check, description: 'Run the feature test' },
      'Running the test.',
    ),
    ...(isFirst
      ? [
          tool(
            'Bash',
            { command: DEMO_FORBIDDEN_COMMAND, description: 'Install globally' },
            'Installing the package globally.',
          ),
        ]
      : []),
    {
      ...(isFirst
        ? {
            text: `That was refused (${refused.slice(0, 120)}); a global install is not needed anyway.`,
          }
        : {}),
      tools: [
        {
          name: features('feature_add_note'),
          input: {
            feature_id: featureId,
            kind: 'evidence',
            text: `${feature.check} passed; files: ${Object.keys(feature.files).join(', ')}`,
          },
        },
        {
          name: 'Bash',
          input: {
            command: `git add -A && git commit -q -m "Feature #${featureId}: ${feature.name}"`,
            description: 'Commit the feature',
          },
        },
      ],
    },
    tool(features('feature_mark_passing'), { feature_id: featureId }),
  ]
}

function codingSteps(
  options: DemoScenarioOptions,
  featureIds: readonly number[],
  cwd: string,
  context: ScriptContext,
): Step[] {
  const steps: Step[] = []
  for (const id of featureIds) steps.push(...featureSteps(options, id, cwd, context, steps.length))
  steps.push({
    text: `Features ${featureIds.map((id) => `#${id}`).join(', ')} are implemented, tested, committed and reported passing.`,
  })
  return steps
}

function featureIdsOf(context: ScriptContext): number[] {
  const marked = (context.markers['features'] ?? '')
    .split(',')
    .filter((id) => /^\d+$/.test(id))
    .map(Number)
  return marked.length > 0 ? marked : context.featureIds.slice(0, 1)
}

/**
 * The scripted model's part in `autocoder demo`: plays the initializer (creates the catalog's
 * features, writes init.sh) and coding agents (per feature: claim, write real files, run the
 * test, one forbidden command, evidence, commit, mark passing). Paths follow the agent's working
 * directory (`[[cwd:...]]`, its worktree). Stateless per request: the step is picked from the
 * conversation's position, so retries and parallel agents work.
 */
export function createDemoScenario(options: DemoScenarioOptions): DynamicScenario {
  return {
    kind: 'dynamic',
    name: 'autocoder-demo',
    usage: DEMO_USAGE,
    model: 'claude-sonnet-4-5',
    respond: (context) => {
      const role = context.markers['role']
      const cwd = context.markers['cwd'] ?? context.cwd ?? '.'
      const ids = featureIdsOf(context)
      const steps =
        role === 'initializer'
          ? initializerSteps(options, cwd)
          : role === 'coding' && ids.length > 0
            ? codingSteps(options, ids, cwd, context)
            : [{ text: 'The demo model only plays the initializer and coding agents.' }]
      return steps[context.position] ?? { text: 'Done.' }
    },
  }
}
