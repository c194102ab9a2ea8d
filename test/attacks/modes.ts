// Runs the attacks through real agent sessions: `autocoder run --agent coding` (single agent) or
// `autocoder run` (the orchestrator: worktrees, merge queue, check command), with the OS sandbox
// asked for or not, and reports what escaped.
import { spawn } from 'node:child_process'

import { decideBash, loadPolicy, resolvePathOnDisk } from '../../src/security/index.js'
import { startScriptedModel } from '../../src/scripted-model/index.js'
import { cliArgv, repoRoot } from '../helpers/cli.js'
import type { AttackClass, BashAttack } from './attack.js'
import type { Escape } from './evidence.js'
import { EvidenceCollector } from './evidence.js'
import { secretsSentToModel } from './model-scan.js'
import type { AttackOutcome, PolicyVerdict } from './scenario.js'
import { AttackSessions } from './scenario.js'
import type { AttackWorld } from './world.js'
import { createAttackWorld } from './world.js'

export interface AttackMode {
  readonly agents: 'single' | 'orchestrated'
  /** Whether the run asks for the OS sandbox (false: the person accepted running without it). */
  readonly sandbox: boolean
}

export const modeName = (mode: AttackMode): string =>
  `${mode.agents}/${mode.sandbox ? 'sandbox' : 'no-sandbox'}`

export interface ModeReport {
  readonly mode: AttackMode
  readonly outcomes: readonly AttackOutcome[]
  readonly unattributed: readonly Escape[]
  /** Per agent session: whether its Bash could not see this process (a private pid namespace). */
  readonly isolation: readonly boolean[]
  readonly cli: readonly { status: number; tail: string }[]
  readonly ms: number
}

const MODEL = 'claude-sonnet-4-5'
const CLI_TIMEOUT_MS = 20 * 60_000

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number; tail: string }> {
  const [command, ...rest] = cliArgv(...args)
  return new Promise((resolve) => {
    const child = spawn(command!, rest, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-20_000)
    }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ status: code ?? -1, tail: output.slice(-4000) })
    })
  })
}

function policyVerdict(world: AttackWorld): PolicyVerdict {
  return async (command, cwd) => {
    const policy = await loadPolicy({
      projectDir: world.project,
      cwd,
      autocoderHome: world.autocoderHome,
    })
    if (!policy.ok) return { allowed: false, reason: policy.error.message }
    const decision = decideBash(command, {
      policy: policy.value,
      cwd,
      projectDir: world.project,
      homeDir: world.home,
      resolvePath: resolvePathOnDisk,
    })
    return { allowed: decision.allowed, reason: decision.reason }
  }
}

/** Runs `attacks` (one feature per class) in a fresh world through real agents in `mode`. */
export async function runAttackMode(
  mode: AttackMode,
  attacks: readonly BashAttack[],
): Promise<ModeReport> {
  const started = Date.now()
  const classes = [...new Set(attacks.map((attack) => attack.cls))].sort((a, b) => a - b)
  const settings: Record<string, unknown> = { os_sandbox: mode.sandbox }
  if (mode.agents === 'orchestrated') settings['check_command'] = 'npm test'
  await using world = await createAttackWorld({
    features: classes.map((cls) => `attack class ${cls}`),
    settings,
  })
  const attacksByFeature = new Map<number, BashAttack[]>(
    classes.map((cls: AttackClass, index) => [
      index + 1,
      attacks.filter((attack) => attack.cls === cls),
    ]),
  )
  const collector = new EvidenceCollector(
    world,
    attacks.map((attack) => attack.id),
  )
  const sessions = new AttackSessions({
    world,
    collector,
    attacksByFeature,
    verdict: policyVerdict(world),
  })
  await using model = await startScriptedModel({
    scenarios: [sessions.scenario('attacker')],
    defaultScenario: 'attacker',
  })
  const env = world.cliEnv(model.url)
  const base = ['run', '--project', world.project, '--model', MODEL, '--yolo']
  const cli: { status: number; tail: string }[] = []
  const features = [...attacksByFeature.keys()].join(',')
  for (let round = 0; round < 3 && sessions.pending().length > 0; round++) {
    cli.push(
      await runCli(
        mode.agents === 'single'
          ? [...base, '--agent', 'coding', '--feature-ids', features, '--max-iterations', '1']
          : [...base, '--concurrency', '1', '--batch-size', '1'],
        env,
      ),
    )
  }
  sessions.sweep()
  for (const escape of secretsSentToModel(model.requests, world.secrets)) {
    const outcome = escape.id === null ? undefined : sessions.outcomes.get(escape.id)
    if (
      outcome &&
      !outcome.escapes.some((known) => known.kind === escape.kind && known.detail === escape.detail)
    )
      outcome.escapes.push(escape)
    if (!outcome) sessions.unattributed.push(escape)
  }
  return {
    mode,
    outcomes: [...sessions.outcomes.values()],
    unattributed: sessions.unattributed,
    isolation: sessions.isolation,
    cli,
    ms: Date.now() - started,
  }
}
