import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

import { systemClock } from '../core/clock.js'
import type { Clock } from '../core/clock.js'
import type { AppEvent, Usage } from '../core/events.js'
import { err, ok } from '../core/result.js'
import type { Result } from '../core/result.js'
import { planFeatures, toSchedFeature } from '../core/scheduling.js'
import { startScriptedModel } from '../scripted-model/index.js'
import { ProjectStore } from '../store/project-store.js'
import { DEMO_FEATURES, MAX_DEMO_FEATURES } from './demo-catalog.js'
import { createDemoScenario, demoRoleMarker } from './demo-scenario.js'
import { defaultPromptsDir } from './prompts.js'
import type { ModelRuntime } from './runtime.js'
import { sdkRuntime } from './sdk-runtime.js'
import { runSingleAgent } from './single-agent.js'

export interface DemoOptions {
  dir: string
  featureCount: number
  /** Coding agents at once (each on its own feature). */
  concurrency: number
  /** Our environment (PATH and HOME are passed on to the model processes). */
  env: Readonly<Record<string, string | undefined>>
  onEvent?: (event: AppEvent) => void
  /** Called when the scripted model is up and the project is ready. */
  onReady?: (info: { projectDir: string; modelUrl: string }) => void
  runtime?: ModelRuntime
  clock?: Clock
  signal?: AbortSignal
}

export interface DemoResult {
  projectDir: string
  total: number
  passing: number
  usage: Usage
  durationMs: number
  /** Files the agents wrote, relative to the project. */
  files: string[]
}

const MODEL = 'claude-sonnet-4-5'
const BASE_PORT = 4100

/** The project files the demo's features promise, relative to the project. */
function expectedFiles(count: number): string[] {
  return ['init.sh', ...DEMO_FEATURES.slice(0, count).flatMap((feature) => Object.keys(feature.files))]
}

function prepareProject(dir: string): Result<string> {
  const projectDir = resolve(dir)
  if (existsSync(projectDir) && readdirSync(projectDir).length > 0) {
    return err('DEMO_DIR_NOT_EMPTY', `${projectDir} is not empty; pass --dir with a new folder for the demo project.`)
  }
  mkdirSync(join(projectDir, '.autocoder', 'prompts'), { recursive: true })
  const spec = join(defaultPromptsDir(), 'demo', 'app_spec.txt')
  copyFileSync(spec, join(projectDir, '.autocoder', 'prompts', 'app_spec.txt'))
  return ok(projectDir)
}

/**
 * `autocoder demo`: a sample project built end to end offline. The scripted model API runs in
 * this process and plays the initializer and the coding agents; the real `claude` binary, the
 * feature tools, the security hook and the session loop do the rest.
 */
export async function runDemo(options: DemoOptions): Promise<Result<DemoResult>> {
  if (!Number.isInteger(options.featureCount) || options.featureCount < 1 || options.featureCount > MAX_DEMO_FEATURES) {
    return err('DEMO_INVALID', `--features must be 1 to ${MAX_DEMO_FEATURES}, not ${options.featureCount}.`)
  }
  const clock = options.clock ?? systemClock
  const startedAt = clock.now()
  const project = prepareProject(options.dir)
  if (!project.ok) return project
  const projectDir = project.value
  const opened = ProjectStore.open(projectDir)
  if (!opened.ok) return opened
  const store = opened.value
  const unsubscribe = options.onEvent ? store.events.subscribe(options.onEvent) : () => {}
  const featureById = (id: number) => DEMO_FEATURES.find((feature) => feature.name === store.features.get(id)?.name)
  const model = await startScriptedModel({ scenarios: [createDemoScenario({ projectDir, featureCount: options.featureCount, featureById })], defaultScenario: 'autocoder-demo' })
  const env = { PATH: options.env['PATH'], HOME: options.env['HOME'], ANTHROPIC_BASE_URL: model.url, ANTHROPIC_API_KEY: 'autocoder-demo' }
  options.onReady?.({ projectDir, modelUrl: model.url })

  const agent = (role: 'initializer' | 'coding', featureIds: number[], slot: number) =>
    runSingleAgent({
      store,
      role,
      featureIds,
      model: MODEL,
      yolo: true,
      maxIterations: 2,
      port: BASE_PORT + slot,
      featureCount: options.featureCount,
      env,
      runtime: options.runtime ?? sdkRuntime,
      clock,
      signal: options.signal,
      agentId: role === 'initializer' ? 'initializer' : `coding-${featureIds.join('-')}`,
      promptSuffix: demoRoleMarker(role),
      loop: { autoContinueDelayMs: 500, idleTimeoutMs: 60_000 },
    })

  try {
    const init = await agent('initializer', [], 0)
    if (!init.ok) return init
    if (init.value.outcome !== 'done') return err('DEMO_FAILED', `The initializer did not finish: ${init.value.message}`)
    const concurrency = Math.max(1, Math.min(options.concurrency, 5))
    for (;;) {
      if (options.signal?.aborted) break
      const features = store.features.list()
      const ready = planFeatures(features.map((feature) => toSchedFeature(feature))).ready.slice(0, concurrency)
      if (ready.length === 0) break
      const results = await Promise.all(ready.map((id, slot) => agent('coding', [id], slot + 1)))
      const failure = results.find((result) => !result.ok)
      if (failure && !failure.ok) return failure
      if (results.every((result) => result.ok && result.value.outcome !== 'done')) break
    }
    const stats = store.features.stats()
    return ok({
      projectDir,
      total: stats.total,
      passing: stats.passing,
      usage: store.sessions.totals(),
      durationMs: clock.now() - startedAt,
      files: expectedFiles(options.featureCount).filter((file) => existsSync(join(projectDir, file))),
    })
  } finally {
    unsubscribe()
    await model.close()
    store.close()
  }
}
