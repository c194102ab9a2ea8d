import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs'
import { join, resolve } from 'node:path'

import { z } from 'zod'

import { systemClock, err, ok } from '../core/index.js'
import type { Clock, Usage, Result } from '../core/index.js'
import { startScriptedModel } from '../scripted-model/index.js'
import type { RecordedRequest, ScriptContext, ScriptedModelStats } from '../scripted-model/index.js'
import { projectDatabasePath, ProjectStore } from '../store/index.js'
import { demoCases, DemoScenarioName } from './demo-cases.js'
import { demoCatalog, seededRandom } from './demo-catalog.js'
import type { DemoFeature } from './demo-catalog.js'
import { DEFAULT_DEMO_FEATURES, DEFAULT_DEMO_SEED, MAX_DEMO_FEATURES } from './demo-options.js'
import { createDemoScenario, demoPromptSuffix } from './demo-scenario.js'
import { defaultPromptsDir } from '../agents/index.js'
import type { AgentError } from '../agents/index.js'

/** The model id the demo's agents ask the scripted API for. */
export const DEMO_MODEL = 'claude-sonnet-4-5'

/** The demo project's check command: the merge queue runs it on every merged result. */
export const DEMO_CHECK_COMMAND = 'npm test'

/** Project setting that holds the board a demo project was made with. */
const CONFIG_KEY = 'demo'

/** What a demo project is made of; stored in the project so a resumed demo plays the same board. */
export const DemoConfig = z.object({
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1),
  features: z.number().int().min(1).max(MAX_DEMO_FEATURES),
  scenario: DemoScenarioName,
})
export type DemoConfig = z.infer<typeof DemoConfig>

export interface DemoProject {
  projectDir: string
  /** True when the folder already held a demo project (an earlier, possibly killed, run). */
  resumed: boolean
  /** Features already on its board (0 for a new project). */
  features: number
  /** The board and scenario it was made with. */
  config: DemoConfig
}

export interface DemoModel {
  url: string
  /**
   * The demo's model processes' environment: ANTHROPIC_BASE_URL and a dummy key pointing Claude
   * Code at the scripted API, and HOME, a home of the demo's own (see demoHome).
   */
  env: Record<string, string>
  /** The requests the scripted model received, in order (what the agents really asked for). */
  requests: readonly RecordedRequest[]
  /** What it answered so far: replies, and each kind of fault a scenario asked for. */
  stats: Readonly<ScriptedModelStats>
  close(): Promise<void>
}

export interface DemoModelOptions {
  /** Default: the scenario the project was made with. */
  scenario?: DemoScenarioName
  /** The model's time per turn (each reply waits base × 0.5 to 1.5, by the seed); default 0. */
  latencyMs?: number
  clock?: Clock
}

export interface DemoSummary {
  total: number
  passing: number
  /** Tokens and cost over every run of the demo project. */
  usage: Usage
  /** Files the features promise that exist, relative to the project. */
  files: string[]
  /** Files the features promise that are missing. */
  missing: string[]
}

const bundledSpec = (): string => join(defaultPromptsDir(), 'demo', 'app_spec.txt')
const storedSpec = (projectDir: string): string =>
  join(projectDir, '.autocoder', 'prompts', 'app_spec.txt')

/** A folder made by `autocoder demo`: its database and the bundled demo spec. */
function isDemoProject(projectDir: string): boolean {
  if (!existsSync(projectDatabasePath(projectDir)) || !existsSync(storedSpec(projectDir)))
    return false
  return readFileSync(storedSpec(projectDir), 'utf8') === readFileSync(bundledSpec(), 'utf8')
}

function storedConfig(store: ProjectStore): DemoConfig | undefined {
  const parsed = DemoConfig.safeParse(store.settings.get(CONFIG_KEY))
  return parsed.success ? parsed.data : undefined
}

/**
 * Makes the demo project in `dir`: a new or empty folder gets the bundled spec, the check command
 * and the board to build (`features` of the catalog of `seed`, played as `scenario`); a folder
 * that already holds a demo project is resumed as it is, with the board it was made with; any
 * other non-empty folder is refused (the demo never writes into someone's files).
 */
export function prepareDemoProject(
  dir: string,
  board: Partial<DemoConfig> = {},
): Result<DemoProject, AgentError> {
  const projectDir = resolve(dir)
  const config = DemoConfig.safeParse({
    seed: board.seed ?? DEFAULT_DEMO_SEED,
    features: board.features ?? DEFAULT_DEMO_FEATURES,
    scenario: board.scenario ?? 'standard',
  })
  if (!config.success)
    return err('DEMO_INVALID', `The demo board is invalid: ${z.prettifyError(config.error)}`)
  if (existsSync(projectDir) && readdirSync(projectDir).length > 0) {
    if (!isDemoProject(projectDir)) {
      return err(
        'DEMO_DIR_NOT_EMPTY',
        `${projectDir} is not empty and is not a demo project; pass --dir with a new folder (or an earlier demo's folder to resume it).`,
      )
    }
    const store = ProjectStore.open(projectDir)
    if (!store.ok) return store
    try {
      const stored = storedConfig(store.value)
      if (!stored) store.value.settings.set(CONFIG_KEY, config.data)
      const features = store.value.features.count()
      return ok({ projectDir, resumed: true, features, config: stored ?? config.data })
    } finally {
      store.value.close()
    }
  }
  mkdirSync(join(projectDir, '.autocoder', 'prompts'), { recursive: true })
  // The initializer reads app_spec.txt in its worktree, so the spec is part of the first commit.
  copyFileSync(bundledSpec(), join(projectDir, 'app_spec.txt'))
  const store = ProjectStore.open(projectDir)
  if (!store.ok) return store
  try {
    store.value.settings.set('check_command', DEMO_CHECK_COMMAND)
    store.value.settings.set(CONFIG_KEY, config.data)
  } finally {
    store.value.close()
  }
  // Written last: its presence (with the database) marks a complete demo project.
  copyFileSync(bundledSpec(), storedSpec(projectDir))
  return ok({ projectDir, resumed: false, features: 0, config: config.data })
}

/** A pace around `baseMs` (0.5 to 1.5 times it), the same for the same seed, agent work and turn. */
function demoLatency(seed: number, baseMs: number): (context: ScriptContext) => number {
  return (context) => {
    const key = `${context.markers['role'] ?? ''}:${context.markers['features'] ?? ''}:${context.position}:${context.attempt}`
    let hash = seed >>> 0
    for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619)
    return Math.round(baseMs * (0.5 + seededRandom(hash)()))
  }
}

/**
 * The home of the demo's Claude Code processes, in the project's `.autocoder/`: the offline demo
 * neither reads nor writes the user's ~/.claude, and its agents' shells do not source the user's
 * login files (Claude Code runs them for its shell snapshot in every session: seconds of CPU per
 * session with a heavy ~/.bashrc). Its git identity is the demo agent's.
 */
function demoHome(projectDir: string): string {
  const home = join(projectDir, '.autocoder', 'demo-home')
  mkdirSync(home, { recursive: true })
  const gitconfig = join(home, '.gitconfig')
  if (!existsSync(gitconfig))
    writeFileSync(
      gitconfig,
      '[user]\n\tname = autocoder demo agent\n\temail = demo-agent@autocoder.invalid\n',
    )
  return home
}

/**
 * Starts the scripted model API that plays the demo's agents (see createDemoScenario) on a free
 * port of 127.0.0.1, for a project made by prepareDemoProject: its board and scenario come from
 * the project (the scenario may be overridden). It reads the project database to map feature ids
 * to the catalog and to follow merges.
 */
export async function startDemoModel(
  projectDir: string,
  options: DemoModelOptions = {},
): Promise<Result<DemoModel, AgentError>> {
  const latencyMs = options.latencyMs ?? 0
  if (!Number.isFinite(latencyMs) || latencyMs < 0)
    return err('DEMO_INVALID', `The model latency must be 0 or more ms, not ${latencyMs}.`)
  const opened = ProjectStore.open(projectDir)
  if (!opened.ok) return opened
  const store = opened.value
  const config = storedConfig(store)
  if (!config) {
    store.close()
    return err(
      'DEMO_NOT_PREPARED',
      `${projectDir} has no demo board; make it with autocoder demo (or prepareDemoProject) first.`,
    )
  }
  const catalog = demoCatalog(config.seed)
  const byName = new Map<string, DemoFeature>(catalog.map((feature) => [feature.name, feature]))
  const board = catalog.slice(0, config.features)
  const clock = options.clock ?? systemClock
  const model = await startScriptedModel({
    scenarios: [
      createDemoScenario({
        board,
        featureById: (id) => byName.get(store.features.get(id)?.name ?? ''),
        cases: demoCases(options.scenario ?? config.scenario, board),
        clock,
        isClaimed: (id) => store.claims.holder(id) !== undefined,
      }),
    ],
    defaultScenario: 'autocoder-demo',
    clock,
    latencyMs: demoLatency(config.seed, latencyMs),
  })
  return ok({
    url: model.url,
    env: {
      ANTHROPIC_BASE_URL: model.url,
      ANTHROPIC_API_KEY: 'autocoder-demo',
      HOME: demoHome(projectDir),
    },
    requests: model.requests,
    stats: model.stats,
    close: async () => {
      await model.close()
      store.close()
    },
  })
}

/**
 * What the SDK launcher needs to run the demo's agents, for `autocoder demo` and a server that
 * runs a demo project: the routing markers the demo model reads, no browser, a short pause
 * between an agent's sessions.
 */
export const DEMO_LAUNCHER_OPTIONS = {
  promptSuffix: demoPromptSuffix,
  chromiumPath: null,
  autoContinueDelayMs: 500,
} as const

/** The demo project's board, spend and files, read from its database and folder. */
export function readDemoSummary(projectDir: string): Result<DemoSummary, AgentError> {
  const opened = ProjectStore.open(projectDir)
  if (!opened.ok) return opened
  const store = opened.value
  try {
    const names = new Set(store.features.list().map((feature) => feature.name))
    const catalog = demoCatalog(storedConfig(store)?.seed ?? DEFAULT_DEMO_SEED)
    const promised = [
      ...new Set([
        'init.sh',
        ...catalog
          .filter((feature) => names.has(feature.name))
          .flatMap((feature) => Object.keys(feature.files)),
      ]),
    ]
    const stats = store.features.stats()
    return ok({
      total: stats.total,
      passing: stats.passing,
      usage: store.sessions.totals(),
      files: promised.filter((file) => existsSync(join(projectDir, file))),
      missing: promised.filter((file) => !existsSync(join(projectDir, file))),
    })
  } finally {
    store.close()
  }
}
