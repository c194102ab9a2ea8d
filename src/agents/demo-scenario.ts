import { join } from 'node:path'

import type { DynamicScenario, ScriptContext, Step } from '../scripted-model/index.js'
import { DEMO_FEATURES } from './demo-catalog.js'
import type { DemoFeature } from './demo-catalog.js'

/** Token usage the demo model reports per reply (plausible figures for a small session). */
export const DEMO_USAGE = { input_tokens: 1800, output_tokens: 160, cache_creation_input_tokens: 600, cache_read_input_tokens: 5200 }

/** The forbidden command the first coding agent tries, to show the policy refusing it. */
export const DEMO_FORBIDDEN_COMMAND = 'sudo npm install -g textkit'

export interface DemoScenarioOptions {
  projectDir: string
  /** How many catalog features the initializer creates. */
  featureCount: number
  /** The catalog entry of a feature id (the demo runner maps ids through the store). */
  featureById: (id: number) => DemoFeature | undefined
}

const tool = (name: string, input: Record<string, unknown>, text?: string): Step => ({ ...(text ? { text } : {}), tools: [{ name, input }] })
const features = (name: string): string => `mcp__features__${name}`

/** `[[role:NAME]]` in the prompt tells the demo model which agent it plays. */
export function demoRoleMarker(role: string): string {
  return `[[role:${role}]]`
}

function initializerSteps(options: DemoScenarioOptions): Step[] {
  const chosen = DEMO_FEATURES.slice(0, options.featureCount)
  return [
    tool('Read', { file_path: join(options.projectDir, 'app_spec.txt') }, 'Reading the app specification.'),
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
    tool('Write', { file_path: join(options.projectDir, 'init.sh'), content: '#!/bin/sh\n# textkit has no server: run the tests.\nnode --test test/\n' }),
    tool('Bash', { command: 'chmod +x init.sh', description: 'Make init.sh executable' }),
    tool(features('feature_get_stats'), {}),
    { text: `Set up ${chosen.length} features and init.sh. Ready for coding agents.` },
  ]
}

function codingSteps(options: DemoScenarioOptions, featureId: number, context: ScriptContext): Step[] {
  const feature = options.featureById(featureId)
  const claim = tool(features('feature_claim_and_get'), { feature_id: featureId }, `Working on feature #${featureId}.`)
  if (!feature) return [claim, { text: `Feature #${featureId} is not part of the demo catalog; stopping.` }]
  const isFirst = feature === DEMO_FEATURES[0]
  const writes = Object.entries(feature.files).map(([path, content]) => tool('Write', { file_path: join(options.projectDir, path), content }))
  const refused = context.toolResults[0]?.text.split('\n')[0] ?? ''
  return [
    claim,
    ...writes,
    tool('Bash', { command: feature.check, description: 'Run the feature test' }, 'Running the test.'),
    ...(isFirst ? [tool('Bash', { command: DEMO_FORBIDDEN_COMMAND, description: 'Install globally' }, 'Installing the package globally.')] : []),
    tool(
      features('feature_add_note'),
      { feature_id: featureId, kind: 'evidence', text: `${feature.check} passed; files: ${Object.keys(feature.files).join(', ')}` },
      isFirst ? `That was refused (${refused.slice(0, 120)}); a global install is not needed anyway.` : undefined,
    ),
    tool(features('feature_mark_passing'), { feature_id: featureId }),
    { text: `Feature #${featureId} (${feature.name}) is implemented, tested and reported passing.` },
  ]
}

/**
 * The scripted model's part in `autocoder demo`: plays the initializer (creates the catalog's
 * features, writes init.sh) and coding agents (claim, write real files, run the test, one
 * forbidden command, evidence, mark passing). Stateless per request: the step is picked from the
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
      const steps =
        role === 'initializer'
          ? initializerSteps(options)
          : role === 'coding' && context.featureIds[0] !== undefined
            ? codingSteps(options, context.featureIds[0], context)
            : [{ text: 'The demo model only plays the initializer and coding agents.' }]
      return steps[context.position] ?? { text: 'Done.' }
    },
  }
}
