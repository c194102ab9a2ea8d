// Runs the attacks through real agent sessions: `autocoder run --agent coding` (single agent) or
// `autocoder run` (the orchestrator: worktrees, merge queue, check command), with the OS sandbox
// asked for or not, and reports what escaped.
import { spawn } from 'node:child_process'

import { decideBash, loadPolicy, resolvePathOnDisk } from '../../src/security/index.js'
import { startScriptedModel } from '../../src/scripted-model/index.js'
import { cliArgv, repoRoot } from '../helpers/cli.js'
import type { BashAttack } from './attack.js'
import type { Escape } from './evidence.js'
import { EvidenceCollector } from './evidence.js'
import { mergeCheckAttack } from './merge-check.js'
import { secretsSentToModel } from './model-scan.js'
import type { AttackOutcome, PolicyVerdict } from './scenario.js'
import { AttackSessions } from './scenario.js'
import type { CliSpan, ModeTiming } from './timing.js'
import { cpuNow, modeTiming } from './timing.js'
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
  readonly timing: ModeTiming
}

const MODEL = 'claude-sonnet-4-5'
const CLI_TIMEOUT_MS = 20 * 60_000

function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number; tail: string } & CliSpan> {
  const startedAt = Date.now()
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
      resolve({ status: code ?? -1, tail: output.slice(-4000), startedAt, endedAt: Date.now() })
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

/** Features per agent session: the orchestrator's largest batch, so one session takes them all. */
const FEATURES = 3

/**
 * The attacks of each feature, in order: whole classes in up to FEATURES groups of similar size.
 * Under the orchestrator the merge check comes last (it rewrites package.json, which others use).
 */
export function featureAttacks(
  mode: AttackMode,
  attacks: readonly BashAttack[],
): Map<number, BashAttack[]> {
  const classes = [...new Set(attacks.map((attack) => attack.cls))].sort((a, b) => a - b)
  const groups: BashAttack[][] = []
  const size = Math.ceil(attacks.length / FEATURES)
  for (const cls of classes) {
    const ofClass = attacks.filter((attack) => attack.cls === cls)
    const last = groups.at(-1)
    if (last && (last.length < size || groups.length === FEATURES)) last.push(...ofClass)
    else groups.push([...ofClass])
  }
  if (mode.agents === 'orchestrated' && classes.includes(1)) groups.at(-1)!.push(mergeCheckAttack)
  return new Map(groups.map((group, index) => [index + 1, group]))
}

/**
 * Runs `attacks` in a fresh world through real agents in `mode`: one agent session takes every
 * feature (Claude Code's start is the dearest part of a session), re-run for attacks it left.
 */
export async function runAttackMode(
  mode: AttackMode,
  attacks: readonly BashAttack[],
): Promise<ModeReport> {
  const started = Date.now()
  const cpuAtStart = cpuNow()
  const attacksByFeature = featureAttacks(mode, attacks)
  // Without the sandbox only by a person's explicit acceptance: the setting the CLI reads.
  const settings: Record<string, unknown> = mode.sandbox ? {} : { unsandboxed: true }
  if (mode.agents === 'orchestrated') settings['check_command'] = 'npm test'
  await using world = await createAttackWorld({
    features: [...attacksByFeature.values()].map(
      (group) => `attack classes ${[...new Set(group.map((attack) => attack.cls))].join(', ')}`,
    ),
    settings,
  })
  const worldReadyAt = Date.now()
  using collector = new EvidenceCollector(
    world,
    [...attacksByFeature.values()].flat().map((attack) => attack.id),
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
  const cli: ({ status: number; tail: string } & CliSpan)[] = []
  const features = [...attacksByFeature.keys()].join(',')
  for (let round = 0; round < 3 && sessions.pending().length > 0; round++) {
    cli.push(
      await runCli(
        mode.agents === 'single'
          ? [...base, '--agent', 'coding', '--feature-ids', features, '--max-iterations', '1']
          : [...base, '--concurrency', '1', '--batch-size', String(FEATURES)],
        env,
      ),
    )
  }
  sessions.sweep(mergeCheckAttack.id)
  const secretsToModel = secretsSentToModel(model.requests, world.secrets)
  for (const escape of secretsToModel) {
    const outcome = escape.id === null ? undefined : sessions.outcomes.get(escape.id)
    if (
      outcome &&
      !outcome.escapes.some((known) => known.kind === escape.kind && known.detail === escape.detail)
    )
      outcome.escapes.push(escape)
    if (!outcome) sessions.unattributed.push(escape)
  }
  const sweptAt = Date.now()
  return {
    mode,
    outcomes: [...sessions.outcomes.values()],
    unattributed: sessions.unattributed,
    isolation: sessions.isolation,
    cli,
    ms: sweptAt - started,
    timing: modeTiming({
      startedAt: started,
      worldReadyAt,
      runs: cli,
      sweptAt,
      endedAt: sweptAt,
      collectMs: sessions.collectMs,
      collect: collector.cost(),
      requests: model.requests,
      cpuAtStart,
    }),
  }
}
