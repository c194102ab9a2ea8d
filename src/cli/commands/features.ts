import type { Command } from 'commander'

import type { Feature } from '../../core/index.js'
import { FEATURE_STATES } from '../../core/feature-states.js'
import type { ProjectStore } from '../../store/index.js'
import {
  CliError,
  describeZodError,
  orFail,
  parseId,
  parseIdList,
  printJson,
  withStore,
} from '../util.js'

const OPERATOR = 'operator'

function line(feature: Feature): string {
  const deps = feature.dependencies.length ? `  deps: ${feature.dependencies.join(',')}` : ''
  return `#${feature.id}  [${feature.state}]  ${feature.category} / ${feature.name}${deps}`
}

function show(store: ProjectStore, id: number, json: boolean): void {
  const feature = orFail(store.features.find(id))
  const claim = store.claims.holder(id)
  const notes = store.notes.list(id)
  const costUsd = store.sessions.costOfFeature(id)
  if (json) {
    printJson({ ...feature, claim: claim ?? null, notes, costUsd })
    return
  }
  const out = [
    `#${feature.id} ${feature.name}`,
    `  state:        ${feature.state}${claim ? ` (held by ${claim.agentId}, ${claim.kind})` : ''}`,
    `  category:     ${feature.category}`,
    `  priority:     ${feature.priority}`,
    `  dependencies: ${feature.dependencies.length ? feature.dependencies.join(', ') : 'none'}`,
    `  attempts:     ${feature.attempts}`,
    `  verified:     ${feature.lastVerifiedAt ? new Date(feature.lastVerifiedAt).toISOString() : 'never'}`,
    `  cost:         $${costUsd.toFixed(4)}`,
  ]
  if (feature.description) out.push('', feature.description)
  if (feature.steps.length)
    out.push('', 'Steps:', ...feature.steps.map((step, i) => `  ${i + 1}. ${step}`))
  if (notes.length) {
    out.push('', 'Notes and evidence:')
    for (const note of notes) {
      out.push(`  [${note.kind}] ${new Date(note.createdAt).toISOString()} ${note.author}:`)
      out.push(...note.text.split('\n').map((text) => `    ${text}`))
      if (note.data) out.push(`    ${JSON.stringify(note.data)}`)
    }
  }
  process.stdout.write(`${out.join('\n')}\n`)
}

const PROJECT_OPTION = ['-p, --project <dir>', 'project folder or registered name'] as const

/** Registers `autocoder features list|show|add|import|skip|deps`. */
export function registerFeaturesCommand(program: Command): void {
  const features = program
    .command('features')
    .description("Read and edit a project's feature board")
  registerList(features)
  registerShow(features)
  registerAdd(features)
  registerImport(features)
  registerSkip(features)
  registerDeps(features)
}

function registerList(features: Command): void {
  features
    .command('list')
    .description('List features in priority order')
    .requiredOption(...PROJECT_OPTION)
    .option('--state <state>', `only this state (${FEATURE_STATES.join(', ')})`)
    .option('--json', 'print JSON')
    .action(async (options: { project: string; state?: string; json?: boolean }) => {
      const { FeatureState } = await import('../../core/index.js')
      const state = options.state === undefined ? undefined : FeatureState.safeParse(options.state)
      if (state && !state.success) {
        throw new CliError(
          `Unknown state "${options.state}"; use one of ${FEATURE_STATES.join(', ')}.`,
          2,
        )
      }
      await withStore(options.project, (store) => {
        const list = store.features.list().filter((f) => !state || f.state === state.data)
        if (options.json) return printJson(list)
        const stats = store.features.stats()
        for (const feature of list) process.stdout.write(`${line(feature)}\n`)
        process.stdout.write(`${stats.passing}/${stats.total} passing (${stats.percentage}%)\n`)
      })
    })
}

function registerShow(features: Command): void {
  features
    .command('show')
    .description('Show one feature with its notes, evidence and cost')
    .requiredOption(...PROJECT_OPTION)
    .argument('<id>', 'feature id')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { project: string; json?: boolean }) => {
      const featureId = parseId(id, 'feature id')
      await withStore(options.project, (store) => show(store, featureId, options.json === true))
    })
}

interface AddOptions {
  project: string
  category: string
  name: string
  description: string
  step: string[]
  dependsOn: string
  priority?: string
  json?: boolean
}

function registerAdd(features: Command): void {
  features
    .command('add')
    .description('Add one feature')
    .requiredOption(...PROJECT_OPTION)
    .requiredOption('--category <category>', 'category, e.g. functional or style')
    .requiredOption('--name <name>', 'short name')
    .option('--description <text>', 'what it does', '')
    .option(
      '--step <step>',
      'a verification step (repeat for several)',
      (step: string, all: string[]) => [...all, step],
      [],
    )
    .option('--depends-on <ids>', 'comma-separated ids it depends on', '')
    .option('--priority <n>', 'priority (lower runs earlier); default: after the last')
    .option('--json', 'print the created feature as JSON')
    .action(async (options: AddOptions) => {
      const { NewFeature } = await import('../../core/index.js')
      const parsed = NewFeature.safeParse({
        category: options.category,
        name: options.name,
        description: options.description,
        steps: options.step,
        dependencies: parseIdList(options.dependsOn, 'dependency id'),
        ...(options.priority === undefined ? {} : { priority: Number(options.priority) }),
      })
      if (!parsed.success)
        throw new CliError(`Invalid feature: ${describeZodError(parsed.error)}.`, 2)
      await withStore(options.project, (store) => {
        const [feature] = orFail(store.features.create([parsed.data], { by: OPERATOR }))
        if (options.json) printJson(feature)
        else process.stdout.write(`added ${line(feature!)}\n`)
      })
    })
}

function registerImport(features: Command): void {
  features
    .command('import')
    .description(
      'Add features from a JSON file {"features":[{category,name,description,steps,dependencies|depends_on_indices}]} (all or nothing)',
    )
    .requiredOption(...PROJECT_OPTION)
    .argument('<file>', 'JSON file')
    .action(async (file: string, options: { project: string }) => {
      const { readImportFile } = await import('../input-files.js')
      const drafts = readImportFile(file)
      await withStore(options.project, (store) => {
        const result = store.features.create(drafts, { by: OPERATOR })
        if (!result.ok) throw new CliError(`${file}: ${result.error.message} Nothing was imported.`)
        process.stdout.write(`imported ${result.value.length} features\n`)
      })
    })
}

function registerSkip(features: Command): void {
  features
    .command('skip')
    .description('Take a feature out of the run (or put it back with --undo)')
    .requiredOption(...PROJECT_OPTION)
    .argument('<id>', 'feature id')
    .option('--undo', 'put a skipped feature back to pending')
    .action(async (id: string, options: { project: string; undo?: boolean }) => {
      const featureId = parseId(id, 'feature id')
      const { skipFeature, unskipFeature } = await import('../../store/index.js')
      const caller = { actor: 'operator', by: OPERATOR } as const
      await withStore(options.project, (store) => {
        const feature = options.undo
          ? orFail(unskipFeature(store, featureId, caller))
          : orFail(skipFeature(store, featureId, caller)).feature
        process.stdout.write(`${line(feature)}\n`)
      })
    })
}

interface DepsOptions {
  project: string
  set?: string
  add?: string
  remove?: string
  json?: boolean
}

/** Applies the one change --set, --add or --remove asks for; none leaves the feature as it is. */
function changeDependencies(store: ProjectStore, feature: Feature, options: DepsOptions): Feature {
  const { features } = store
  const by = OPERATOR
  if (options.set !== undefined)
    return orFail(
      features.setDependencies(feature.id, parseIdList(options.set, 'dependency id'), by),
    )
  if (options.add !== undefined)
    return orFail(features.addDependency(feature.id, parseId(options.add, 'dependency id'), by))
  if (options.remove !== undefined)
    return orFail(
      features.removeDependency(feature.id, parseId(options.remove, 'dependency id'), by),
    )
  return feature
}

function printDependencies(store: ProjectStore, feature: Feature, json: boolean): void {
  const featureId = feature.id
  const dependents = store.features
    .list()
    .filter((f) => f.dependencies.includes(featureId))
    .map((f) => f.id)
  if (json) return printJson({ featureId, dependencies: feature.dependencies, dependents })
  process.stdout.write(
    `#${featureId} depends on: ${feature.dependencies.join(', ') || 'nothing'}\n`,
  )
  process.stdout.write(`#${featureId} is needed by: ${dependents.join(', ') || 'nothing'}\n`)
}

function registerDeps(features: Command): void {
  features
    .command('deps')
    .description("Show or change a feature's dependencies (cycles are refused)")
    .requiredOption(...PROJECT_OPTION)
    .argument('<id>', 'feature id')
    .option('--set <ids>', 'replace the dependencies with these comma-separated ids ("" for none)')
    .option('--add <id>', 'add one dependency')
    .option('--remove <id>', 'remove one dependency')
    .option('--json', 'print JSON')
    .action(async (id: string, options: DepsOptions) => {
      const featureId = parseId(id, 'feature id')
      const changes = [options.set, options.add, options.remove].filter(
        (o) => o !== undefined,
      ).length
      if (changes > 1) throw new CliError('Use only one of --set, --add and --remove at a time.', 2)
      await withStore(options.project, (store) => {
        const found = orFail(store.features.find(featureId))
        const feature = changeDependencies(store, found, options)
        printDependencies(store, feature, options.json === true)
      })
    })
}
