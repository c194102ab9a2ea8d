import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

import type { Usage } from '../core/events.js'
import { err, ok } from '../core/result.js'
import type { Result } from '../core/result.js'
import { startScriptedModel } from '../scripted-model/index.js'
import { projectDatabasePath, ProjectStore } from '../store/project-store.js'
import { DEMO_FEATURES, MAX_DEMO_FEATURES } from './demo-catalog.js'
import { createDemoScenario } from './demo-scenario.js'
import { defaultPromptsDir } from './prompts.js'

/** The model id the demo's agents ask the scripted API for. */
export const DEMO_MODEL = 'claude-sonnet-4-5'

/** The demo project's check command: the merge queue runs it on every merged result. */
export const DEMO_CHECK_COMMAND = 'npm test'

export interface DemoProject {
  projectDir: string
  /** True when the folder already held a demo project (an earlier, possibly killed, run). */
  resumed: boolean
  /** Features already on its board (0 for a new project). */
  features: number
}

export interface DemoModel {
  url: string
  /** ANTHROPIC_BASE_URL and a dummy key pointing Claude Code at the scripted API. */
  env: Record<string, string>
  close(): Promise<void>
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

/**
 * Makes the demo project in `dir`: a new or empty folder gets the bundled spec and the check
 * command; a folder that already holds a demo project is resumed as it is; any other non-empty
 * folder is refused (the demo never writes into someone's files).
 */
export function prepareDemoProject(dir: string): Result<DemoProject> {
  const projectDir = resolve(dir)
  const exists = existsSync(projectDir)
  if (exists && readdirSync(projectDir).length > 0) {
    if (!isDemoProject(projectDir)) {
      return err(
        'DEMO_DIR_NOT_EMPTY',
        `${projectDir} is not empty and is not a demo project; pass --dir with a new folder (or an earlier demo's folder to resume it).`,
      )
    }
    const store = ProjectStore.open(projectDir)
    if (!store.ok) return store
    try {
      return ok({ projectDir, resumed: true, features: store.value.features.count() })
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
  } finally {
    store.value.close()
  }
  // Written last: its presence (with the database) marks a complete demo project.
  copyFileSync(bundledSpec(), storedSpec(projectDir))
  return ok({ projectDir, resumed: false, features: 0 })
}

/**
 * Starts the scripted model API that plays the demo's agents (see createDemoScenario) on a free
 * port of 127.0.0.1. It reads feature names from the project database to map ids to the catalog.
 */
export async function startDemoModel(
  projectDir: string,
  featureCount: number,
): Promise<Result<DemoModel>> {
  if (!Number.isInteger(featureCount) || featureCount < 1 || featureCount > MAX_DEMO_FEATURES) {
    return err('DEMO_INVALID', `--features must be 1 to ${MAX_DEMO_FEATURES}, not ${featureCount}.`)
  }
  const opened = ProjectStore.open(projectDir)
  if (!opened.ok) return opened
  const store = opened.value
  const featureById = (id: number) =>
    DEMO_FEATURES.find((feature) => feature.name === store.features.get(id)?.name)
  const model = await startScriptedModel({
    scenarios: [createDemoScenario({ featureCount, featureById })],
    defaultScenario: 'autocoder-demo',
  })
  return ok({
    url: model.url,
    env: { ANTHROPIC_BASE_URL: model.url, ANTHROPIC_API_KEY: 'autocoder-demo' },
    close: async () => {
      await model.close()
      store.close()
    },
  })
}

/** The demo project's board, spend and files, read from its database and folder. */
export function readDemoSummary(projectDir: string): Result<DemoSummary> {
  const opened = ProjectStore.open(projectDir)
  if (!opened.ok) return opened
  const store = opened.value
  try {
    const names = new Set(store.features.list().map((feature) => feature.name))
    const promised = [
      ...new Set([
        'init.sh',
        ...DEMO_FEATURES.filter((feature) => names.has(feature.name)).flatMap((feature) =>
          Object.keys(feature.files),
        ),
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
