// Runs `autocoder run` (runOrchestrated) on a project with the real claude binary against an
// in-process scripted model. Used by the orchestrator e2e tests (crash, lock, deadlock).
// Usage: tsx test/e2e/orchestrator-runner.ts PROJECT_DIR [--concurrency N] [--testing-agents N] [--batch-size N]
import { runOrchestrated } from '../../src/cli/commands/run-orchestrated.js'
import { startModel } from '../integration/orchestrator/real-run.js'

const [projectDir = '.', ...rest] = process.argv.slice(2)
const flag = (name: string, fallback: string): string => {
  const index = rest.indexOf(`--${name}`)
  return index === -1 ? fallback : (rest[index + 1] ?? fallback)
}

const model = await startModel()
const code = await runOrchestrated(
  {
    project: projectDir,
    concurrency: flag('concurrency', '2'),
    testingAgents: flag('testing-agents', '0'),
    batchSize: flag('batch-size', '1'),
    yolo: true,
    model: 'claude-sonnet-4-5',
  },
  {
    env: { ...process.env, ...model.env },
    checkCommand: ['node', 'check.mjs'],
    settings: { leaseMs: 20_000, heartbeatMs: 1_000 },
    launcher: {
      maxSessions: { coding: 1 },
      autoContinueDelayMs: 0,
      limits: { idleTimeoutMs: 60_000, interruptGraceMs: 2_000 },
    },
    promptSuffix: (assignment) =>
      `[[scenario:${assignment.role === 'coding' ? 'coder' : assignment.role === 'testing' ? 'tester' : 'initializer'}]] [[features:${assignment.featureIds.join(',')}]] [[cwd:${assignment.cwd}]]`,
  },
)
await model.close()
process.exit(code)
