/**
 * The demo project's features (see prompts/demo/app_spec.txt): a project skeleton, then small,
 * real helpers in four categories (string, array, number, date), each a module with its own test
 * file. A seed generates the catalog: which helpers, in which order, and how they depend on each
 * other (chains, diamonds, fan-out from a category's first helper, independent roots). A helper
 * that depends on others really calls them, so its test passes only with theirs in place.
 */
import { ARRAY_UNITS, NUMBER_UNITS } from './demo-units-numeric.js'
import { DATE_UNITS, STRING_UNITS } from './demo-units-text.js'
import { DEFAULT_DEMO_SEED, MAX_DEMO_FEATURES } from './demo-options.js'
import type { UnitCategory, UnitOp } from './demo-units.js'

export interface DemoFeature {
  name: string
  category: string
  description: string
  steps: string[]
  /** Files the coding agent writes, relative to the project. */
  files: Record<string, string>
  /** The check the agent runs before it reports the feature passing. */
  check: string
  /** Catalog indices of the features it depends on (always earlier ones). */
  dependsOn: number[]
  /** The helper's module (absent for the skeleton). */
  module?: { path: string; exportLine: string; unfinished: string }
}

/** How deep a chain inside one category may grow (its first helper is depth 1). */
const MAX_DEPTH = 3

/** init.sh, written by the initializer; the skeleton feature writes it too, should a crash have lost it. */
export const DEMO_INIT_SCRIPT = '#!/bin/sh\n# utilkit has no server: run the tests.\nnpm test\n'

/** Runs every test file in one process: one process per file would cost seconds per check at 200 files. */
const RUN_ALL_TESTS = [
  '// Runs every *.test.mjs of this folder in one process.',
  "import { readdirSync } from 'node:fs'",
  '',
  "const dir = new URL('.', import.meta.url)",
  "for (const file of readdirSync(dir).filter((name) => name.endsWith('.test.mjs')).sort())",
  '  await import(new URL(file, dir).href)',
  '',
].join('\n')

const skeleton: DemoFeature = {
  name: 'Project skeleton',
  category: 'setup',
  description: 'package.json with a test script; src/ and test/ folders; a runner for all tests.',
  steps: ['package.json exists with "type": "module"', 'npm test runs every test in test/'],
  files: {
    'init.sh': DEMO_INIT_SCRIPT,
    'package.json': `${JSON.stringify({ name: 'utilkit', version: '0.1.0', type: 'module', scripts: { test: 'node test/all.mjs' } }, null, 2)}\n`,
    'src/index.mjs': '// utilkit: one module per helper in this folder, exported here.\n',
    'test/all.mjs': RUN_ALL_TESTS,
    'test/skeleton.test.mjs':
      "import assert from 'node:assert/strict'\nimport { test } from 'node:test'\n\ntest('skeleton', () => assert.ok(true))\n",
  },
  check: 'node --test test/skeleton.test.mjs',
  dependsOn: [],
}

/** A small fast seeded generator (mulberry32): the same seed gives the same numbers everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
  }
  return copy
}

type AnyCategory = UnitCategory<unknown>
type AnyOp = UnitOp<unknown>

interface Unit {
  index: number
  category: AnyCategory
  op: AnyOp
  param: number
  name: string
  deps: number[]
  depth: number
}

const CATEGORIES = [
  STRING_UNITS,
  ARRAY_UNITS,
  NUMBER_UNITS,
  DATE_UNITS,
] as unknown as readonly AnyCategory[]

/** A value as a JavaScript literal (keeps -0, NaN and Infinity, which JSON would change). */
function literal(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value)
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`
  return JSON.stringify(value)
}

function unitName(op: AnyOp, param: number): string {
  return op.params ? `${op.name}${param}` : op.name
}

/** The dependencies of a new unit of a category by the shape the generator rolled. */
function pickDeps(units: readonly Unit[], random: () => number): number[] {
  const open = units.filter((unit) => unit.depth < MAX_DEPTH)
  const roll = random()
  if (units.length === 0 || roll >= 0.85) return [0]
  if (roll < 0.35 && open.length > 0) return [open.at(-1)!.index]
  if (roll < 0.65 || open.length < 2) return [units[0]!.index]
  const first = open[Math.floor(random() * open.length)]!
  const others = open.filter((unit) => unit !== first)
  const second = others[Math.floor(random() * others.length)]!
  return [first.index, second.index].sort((a, b) => a - b)
}

function generateUnits(seed: number, count: number): Unit[] {
  const random = seededRandom(seed)
  const unused = new Map(
    CATEGORIES.map((category) => [
      category,
      category.ops.flatMap((op) => (op.params ?? [0]).map((param) => ({ op, param }))),
    ]),
  )
  const firsts = shuffled(CATEGORIES, random)
  const units: Unit[] = []
  for (let index = 1; index < count; index++) {
    const open = CATEGORIES.filter((category) => unused.get(category)!.length > 0)
    const category = firsts[index - 1] ?? open[Math.floor(random() * open.length)]!
    const choices = unused.get(category)!
    const [choice] = choices.splice(Math.floor(random() * choices.length), 1)
    const own = units.filter((unit) => unit.category === category)
    const deps = pickDeps(own, random)
    const depth = deps[0] === 0 ? 1 : 1 + Math.max(...deps.map((dep) => units[dep - 1]!.depth))
    const name = unitName(choice!.op, choice!.param)
    units.push({ index, category, op: choice!.op, param: choice!.param, name, deps, depth })
  }
  return units
}

function evaluate(units: readonly Unit[], unit: Unit, input: unknown): unknown {
  const parts =
    unit.deps[0] === 0 ? [] : unit.deps.map((dep) => evaluate(units, units[dep - 1]!, input))
  const value =
    parts.length === 0 ? input : parts.length === 1 ? parts[0] : unit.category.combine.run(parts)
  return unit.op.run(value, unit.param)
}

function moduleSource(
  units: readonly Unit[],
  unit: Unit,
  description: string,
  body: string,
): string {
  const { input } = unit.category
  const deps = unit.deps[0] === 0 ? [] : unit.deps.map((dep) => units[dep - 1]!.name)
  const imports = deps.map((dep) => `import { ${dep} } from './${dep}.mjs'\n`).join('')
  const prelude =
    deps.length === 0
      ? ''
      : deps.length === 1
        ? `  const ${input} = ${deps[0]}(input)\n`
        : `  const parts = [${deps.map((dep) => `${dep}(input)`).join(', ')}]\n  const ${input} = ${unit.category.combine.js}\n`
  const parameter = deps.length === 0 ? input : 'input'
  return `${imports}${imports ? '\n' : ''}/** ${description} */\nexport function ${unit.name}(${parameter}) {\n${prelude}  ${body}\n}\n`
}

function toFeature(units: readonly Unit[], unit: Unit): DemoFeature {
  const { category, name } = unit
  const deps = unit.deps[0] === 0 ? [] : unit.deps.map((dep) => units[dep - 1]!.name)
  const source =
    deps.length === 0
      ? `the ${category.input}`
      : deps.length === 1
        ? `${deps[0]}(input)`
        : `the results of ${deps.map((dep) => `${dep}(input)`).join(' and ')} ${category.combine.describe}, then`
  const description = `${name}(${deps.length === 0 ? category.input : 'input'}): ${source} ${unit.op.describe(unit.param)}.`
  const cases = category.samples.map((sample) => ({
    sample,
    expected: evaluate(units, unit, sample),
  }))
  const test = `test/${name}.test.mjs`
  const modulePath = `src/${name}.mjs`
  const testSource = [
    "import assert from 'node:assert/strict'",
    "import { test } from 'node:test'",
    '',
    `import { ${name} } from '../${modulePath}'`,
    '',
    `test('${name}', () => {`,
    ...cases.map(
      ({ sample, expected }) =>
        `  assert.deepEqual(${name}(${literal(sample)}), ${literal(expected)})`,
    ),
    '})',
    '',
  ].join('\n')
  return {
    name,
    category: category.name,
    description,
    steps: [
      `${modulePath} exports ${name}`,
      ...cases.map(
        ({ sample, expected }) => `${name}(${literal(sample)}) returns ${literal(expected)}`,
      ),
      `node --test ${test} passes`,
    ],
    files: {
      [modulePath]: moduleSource(units, unit, description, unit.op.body(unit.param)),
      [test]: testSource,
    },
    check: `node --test ${test}`,
    dependsOn: [...unit.deps],
    module: {
      path: modulePath,
      exportLine: `export { ${name} } from './${name}.mjs'`,
      unfinished: moduleSource(units, unit, description, "throw new Error('not implemented yet')"),
    },
  }
}

const catalogs = new Map<number, readonly DemoFeature[]>()

/**
 * The demo catalog of a seed: the skeleton and MAX_DEMO_FEATURES - 1 helpers. The first `n`
 * features are a board on their own (dependencies always point to earlier features), so
 * `--features n` takes a prefix; the same seed always gives the same catalog.
 */
export function demoCatalog(seed: number = DEFAULT_DEMO_SEED): readonly DemoFeature[] {
  const cached = catalogs.get(seed)
  if (cached) return cached
  const units = generateUnits(seed, MAX_DEMO_FEATURES)
  const catalog = [skeleton, ...units.map((unit) => toFeature(units, unit))]
  catalogs.set(seed, catalog)
  return catalog
}
