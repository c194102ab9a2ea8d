// Cold start and per-session overhead of a real `claude` session against the scripted model API.
// Prints one JSON line. Times are wall-clock ms from the query() call.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { query } from '@anthropic-ai/claude-agent-sdk'

import {
  parseScenario,
  startScriptedModel,
  type RecordedRequest,
  type ScriptedModel,
} from '../src/scripted-model/index.js'

const sessions = Number(process.env['BENCH_SESSIONS'] ?? 4)

interface Sample {
  firstRequestMs: number
  resultMs: number
  exitMs: number
  modelMs: number
}

async function runOnce(model: ScriptedModel, cwd: string, index: number): Promise<Sample> {
  const tag = `[[scenario:bench]] session ${index}`
  const mine = (request: RecordedRequest): boolean =>
    JSON.stringify(request.body ?? '').includes(tag)
  const startedAt = Date.now()
  let resultAt = 0
  const session = query({
    prompt: tag,
    options: {
      model: 'claude-sonnet-4-5',
      cwd,
      settingSources: [],
      permissionMode: 'bypassPermissions',
      allowDangerouslySkipPermissions: true,
      tools: ['Bash'],
      persistSession: false,
      env: {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        ...model.env,
        IS_SANDBOX: '1',
        ENABLE_TOOL_SEARCH: 'false',
      },
    },
  })
  for await (const message of session) if (message.type === 'result') resultAt = Date.now()
  const exitAt = Date.now()
  const requests = model.requests.filter(mine)
  const first = requests[0]
  if (first === undefined || resultAt === 0)
    throw new Error(`session ${index} made no model request or gave no result`)
  const modelMs = requests.reduce(
    (sum, request) => sum + ((request.finishedAt ?? request.receivedAt) - request.receivedAt),
    0,
  )
  return {
    firstRequestMs: first.receivedAt - startedAt,
    resultMs: resultAt - startedAt,
    exitMs: exitAt - startedAt,
    modelMs,
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

const scenario = parseScenario({
  name: 'bench',
  turns: [{ text: 'ok', usage: { input_tokens: 10, output_tokens: 2 } }],
})
if (!scenario.ok) throw new Error(scenario.error.message)
const model = await startScriptedModel({ scenarios: [scenario.value] })
const cwd = mkdtempSync(join(tmpdir(), 'bench-model-roundtrip-'))
try {
  const samples: Sample[] = []
  for (let index = 0; index < sessions; index++) samples.push(await runOnce(model, cwd, index))
  const [cold] = samples
  const warm = samples.slice(1)
  console.log(
    JSON.stringify({
      bench: 'model-roundtrip',
      sessions,
      coldStartToFirstRequestMs: cold!.firstRequestMs,
      coldStartToResultMs: cold!.resultMs,
      warmStartToFirstRequestMsMedian: median(warm.map((sample) => sample.firstRequestMs)),
      warmStartToResultMsMedian: median(warm.map((sample) => sample.resultMs)),
      processExitMsMedian: median(samples.map((sample) => sample.exitMs)),
      perSessionOverheadMsMedian: median(samples.map((sample) => sample.resultMs - sample.modelMs)),
      modelMsMedian: median(samples.map((sample) => sample.modelMs)),
    }),
  )
} finally {
  await model.close()
  rmSync(cwd, { recursive: true, force: true })
}
