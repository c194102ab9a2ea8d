// Agent runtime benches against the scripted model API, one JSON line each:
// - agents.cold-start: `autocoder run --agent coding` process start -> first model request
// - agents.session-overhead: wall time of a session through runAgent minus the model's time
// - agents.prompt-tokens: tokens of each default prompt and of the feature tool definitions it ships with
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { prepareAgent, runAgent, sdkRuntime } from '../src/agents/index.js'
import { modelProcessEnv } from '../src/agents/providers.js'
import type { AgentRoleName, SessionSpec } from '../src/agents/index.js'
import { systemClock } from '../src/core/clock.js'
import { unwrap } from '../src/core/result.js'
import type { Result } from '../src/core/result.js'
import { parseScenario, startScriptedModel } from '../src/scripted-model/index.js'
import type { RecordedRequest, ScriptedModel } from '../src/scripted-model/index.js'
import { ProjectStore } from '../src/store/index.js'
import { openTestSandbox } from '../test/helpers/containment.js'

const root = join(import.meta.dirname, '..')
const MODEL = 'claude-sonnet-4-5'
const tokens = (value: unknown): number =>
  Math.ceil((typeof value === 'string' ? value : JSON.stringify(value ?? '')).length / 4)
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

function newProject(): { dir: string; store: ProjectStore } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-agents-'))
  writeFileSync(join(dir, 'app_spec.txt'), '<project_specification>bench</project_specification>')
  const store = unwrap(ProjectStore.open(dir))
  unwrap(
    store.features.create(
      Array.from({ length: 3 }, (_, i) => ({
        category: 'functional',
        name: `Feature ${i + 1}`,
        description: 'd',
        steps: ['s'],
        dependencies: [],
      })),
      { by: 'bench' },
    ),
  )
  return { dir, store }
}

const messagesOf = (model: ScriptedModel, from: number): RecordedRequest[] =>
  model.requests.slice(from).filter((r) => r.kind === 'messages')

async function coldStart(model: ScriptedModel): Promise<void> {
  const buildName = `.build-bench-${process.pid}`
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), buildName], {
    encoding: 'utf8',
  })
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`)
  const samples: number[] = []
  try {
    for (let run = 0; run < 3; run++) {
      const { dir, store } = newProject()
      store.close()
      const before = model.requests.length
      const startedAt = Date.now()
      const child = spawn(
        process.execPath,
        [
          join(root, buildName, 'cli', 'main.js'),
          'run',
          '--project',
          dir,
          '--agent',
          'coding',
          '--feature-ids',
          '1',
          '--model',
          MODEL,
          '--yolo',
          '--max-iterations',
          '1',
        ],
        {
          env: {
            PATH: process.env['PATH'],
            HOME: process.env['HOME'],
            ANTHROPIC_BASE_URL: model.url,
            ANTHROPIC_API_KEY: 'bench',
            AUTOCODER_HOME: join(dir, 'home'),
          },
          stdio: 'ignore',
        },
      )
      await new Promise((resolve) => child.on('close', resolve))
      const first = messagesOf(model, before)[0]
      if (!first) throw new Error('the CLI made no model request')
      samples.push(first.receivedAt - startedAt)
      rmSync(dir, { recursive: true, force: true })
    }
  } finally {
    rmSync(join(root, buildName), { recursive: true, force: true })
  }
  console.log(
    JSON.stringify({
      bench: 'agents.cold-start',
      runs: samples.length,
      firstRunMs: samples[0],
      medianMs: median(samples),
      samplesMs: samples,
    }),
  )
}

interface RoleCase {
  label: string
  role: AgentRoleName
  featureIds: number[]
}

const cases: RoleCase[] = [
  { label: 'initializer', role: 'initializer', featureIds: [] },
  { label: 'coding', role: 'coding', featureIds: [1] },
  { label: 'coding-batch-3', role: 'coding', featureIds: [1, 2, 3] },
  { label: 'testing-3', role: 'testing', featureIds: [1, 2, 3] },
]

async function sessions(model: ScriptedModel): Promise<void> {
  const overheads: number[] = []
  const setups: number[] = []
  const prompts: Array<Record<string, unknown>> = []
  for (const [index, item] of [...cases, ...cases].entries()) {
    const { dir, store } = newProject()
    if (item.role === 'initializer') store.db.exec('DELETE FROM features')
    const before = model.requests.length
    const env = modelProcessEnv(
      {
        kind: 'compatible',
        env: { ANTHROPIC_BASE_URL: model.url, ANTHROPIC_API_KEY: 'bench' },
        description: '',
      },
      { env: process.env, port: 4100, isRoot: process.getuid?.() === 0 },
    )
    // The agent's pod, as a run opens one per agent (its start is not part of a session's overhead).
    const sandbox = await openTestSandbox(dir)
    const run = prepareAgent({
      store,
      projectDir: dir,
      agentId: `bench-${index}`,
      sandbox,
      role: item.role,
      featureIds: item.featureIds,
      model: MODEL,
      port: 4100,
      yolo: true,
      env,
      chromiumPath: null,
      verifyPasses: true,
    })
    let setupMs = 0
    const timed: typeof run = {
      ...run,
      session: async (iteration) => {
        const started = Date.now()
        const spec = await run.session(iteration)
        setupMs = Date.now() - started
        return spec
      },
    }
    const startedAt = Date.now()
    await runAgent(timed, { runtime: sdkRuntime, store, clock: systemClock, maxIterations: 1 })
    const wallMs = Date.now() - startedAt
    const requests = messagesOf(model, before)
    const modelMs = requests.reduce(
      (sum, r) => sum + ((r.finishedAt ?? r.receivedAt) - r.receivedAt),
      0,
    )
    overheads.push(wallMs - modelMs)
    setups.push(setupMs)
    if (index < cases.length) {
      const body = requests[0]?.body as
        { system?: unknown; messages?: unknown; tools?: Array<{ name: string }> } | undefined
      const spec = unwrap((await run.session(1)) as Result<SessionSpec>)
      const featureTools = (body?.tools ?? []).filter((tool) =>
        tool.name.startsWith('mcp__features__'),
      )
      const promptTokens = tokens(spec.prompt) + tokens(spec.systemPrompt)
      prompts.push({
        prompt: item.label,
        promptTokens,
        promptTokensPerFeature: item.featureIds.length
          ? Math.round(promptTokens / item.featureIds.length)
          : promptTokens,
        featureToolCount: featureTools.length,
        featureToolTokens: tokens(featureTools),
        promptPlusToolsTokens: promptTokens + tokens(featureTools),
        wholeFirstRequestTokens: tokens({
          system: body?.system,
          messages: body?.messages,
          tools: body?.tools,
        }),
      })
    }
    await sandbox.close()
    store.close()
    rmSync(dir, { recursive: true, force: true })
  }
  console.log(
    JSON.stringify({
      bench: 'agents.session-overhead',
      sessions: overheads.length,
      overheadMsMedian: median(overheads),
      overheadMsMax: Math.max(...overheads),
      setupMsMedian: median(setups),
      goalMs: 1500,
    }),
  )
  for (const prompt of prompts)
    console.log(JSON.stringify({ bench: 'agents.prompt-tokens', ...prompt }))
}

const scenario = parseScenario({
  name: 'bench',
  turns: [{ text: 'ok', usage: { input_tokens: 10, output_tokens: 2 } }],
})
if (!scenario.ok) throw new Error(scenario.error.message)
const model = await startScriptedModel({ scenarios: [scenario.value], defaultScenario: 'bench' })
try {
  await coldStart(model)
  await sessions(model)
} finally {
  await model.close()
}
