import { copyFileSync, existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

import type { Clock, Result } from '../core/index.js'
import { err, ok, planFeatures, toSchedFeature } from '../core/index.js'
import { autocoderHome } from '../store/index.js'
import { RepoGuard } from '../workspace/index.js'
import type { ProjectStore } from '../store/index.js'
import {
  containmentChoices,
  containmentFor,
  openAgentSandbox,
  sandboxGate,
  UNSANDBOXED_WARNING,
} from './containment.js'
import { DEFAULT_LEASE_MS, prepareAgent } from './prepare-agent.js'
import type { AgentRoleName } from './prompts.js'
import {
  DEFAULT_CHROMIUM_PATH,
  modelFor,
  modelProcessEnv,
  resolveProvider,
  setting,
  SETTING_KEYS,
} from './providers.js'
import type { SettingSources } from './providers.js'
import type { ModelRuntime } from './runtime.js'
import type { Sandbox } from '../sandbox/index.js'
import { runAgent } from './session-loop.js'
import type { AgentRunResult, SessionLoopOptions } from './session-loop.js'
import type { AgentError, AgentResult } from './error-codes.js'

export interface SingleAgentOptions {
  store: ProjectStore
  role: AgentRoleName
  featureIds?: readonly number[] | undefined
  model?: string | undefined
  yolo: boolean
  maxIterations?: number | undefined
  port: number
  featureCount?: number | undefined
  globalSettings?: Readonly<Record<string, unknown>> | undefined
  env: Readonly<Record<string, string | undefined>>
  runtime: ModelRuntime
  clock: Clock
  signal?: AbortSignal | undefined
  agentId?: string | undefined
  /** Loop limits and delays (tests, demo). */
  loop?: Partial<
    Omit<SessionLoopOptions, 'runtime' | 'store' | 'clock' | 'signal' | 'maxIterations'>
  >
  promptSuffix?: string | undefined
  /** Run without the OS sandbox (the person accepts the risk); default the `unsandboxed` setting. */
  unsandboxed?: boolean | undefined
  /** The other registered projects, hidden from the agent's code. */
  otherProjects?: readonly string[] | undefined
  /** Called once everything is checked, just before the first session. */
  onStart?: (info: {
    agentId: string
    model: string
    featureIds: number[]
    provider: string
    browser: boolean
    sandbox: string
  }) => void
}

/** Testing agents re-check this many passing features when none are named. */
const TESTING_BATCH = 3

/** Features for an agent when none were named: the next ready one, or passing ones to re-check. */
export function pickFeatures(store: ProjectStore, role: AgentRoleName): number[] {
  const features = store.features.list()
  if (role === 'coding')
    return planFeatures(
      features.map((feature) =>
        toSchedFeature(feature, store.claims.holder(feature.id) !== undefined),
      ),
    ).ready.slice(0, 1)
  if (role === 'testing')
    return features
      .filter((feature) => feature.state === 'passing')
      .slice(0, TESTING_BATCH)
      .map((feature) => feature.id)
  return []
}

/**
 * The spec the initializer reads: `app_spec.txt` in its working directory (the project, or its
 * worktree), copied from the project root or `.autocoder/prompts/` if only there. Never overwrites.
 */
export function ensureAppSpec(
  projectDir: string,
  workDir: string = projectDir,
): Result<string, AgentError> {
  const target = join(workDir, 'app_spec.txt')
  if (existsSync(target)) return ok(target)
  for (const source of [
    join(projectDir, 'app_spec.txt'),
    join(projectDir, '.autocoder', 'prompts', 'app_spec.txt'),
  ]) {
    if (source !== target && existsSync(source)) {
      copyFileSync(source, target)
      return ok(target)
    }
  }
  return err(
    'NO_APP_SPEC',
    `${join(projectDir, 'app_spec.txt')} does not exist; write the app specification there (a template is in prompts/app_spec.template.txt).`,
  )
}

/** The features a single agent works on, checked; or why it cannot start. */
function chooseFeatures(options: SingleAgentOptions): Result<number[], AgentError> {
  const { store, role } = options
  if (role === 'initializer') {
    const count = store.features.count()
    if (count > 0)
      return err(
        'ALREADY_INITIALIZED',
        `The project already has ${count} features; run a coding agent instead (--agent coding).`,
      )
    const spec = ensureAppSpec(store.projectDir)
    if (!spec.ok) return spec
  }
  const featureIds = options.featureIds?.length
    ? [...options.featureIds]
    : pickFeatures(store, role)
  for (const id of featureIds) {
    if (!store.features.get(id))
      return err(
        'FEATURE_NOT_FOUND',
        `Feature ${id} does not exist; see \`autocoder features list\`.`,
      )
  }
  if (role !== 'initializer' && featureIds.length === 0) {
    const what =
      role === 'coding'
        ? 'ready to code (all pass, wait on dependencies, or are claimed)'
        : 'passing to re-check'
    return err('NO_FEATURES', `No feature is ${what}; name features with --feature-ids.`)
  }
  return ok(featureIds)
}

/**
 * The agent's sandbox over the project directory, after the gate: the OS sandbox that works here,
 * or none only when the person accepted the risk (flag, else the `unsandboxed` setting).
 */
async function openSandboxFor(
  options: SingleAgentOptions,
  sources: SettingSources,
  agentId: string,
  modelHome: string | undefined,
): Promise<Result<Sandbox, AgentError>> {
  const choices = containmentChoices(sources.project, sources.global)
  if (!choices.ok) return choices
  const unsandboxed = options.unsandboxed ?? choices.value.unsandboxed
  const projectDir = options.store.projectDir
  const [gate, containment] = await Promise.all([
    sandboxGate(unsandboxed),
    containmentFor({
      projectDir,
      autocoderHome: autocoderHome(options.env),
      env: options.env,
      homes: [sources.home, modelHome ?? sources.home],
      otherProjects: options.otherProjects ?? [],
      allowedHosts: choices.value.allowedHosts,
      unsandboxed,
    }),
  ])
  if (!gate.ok) return gate
  const sandbox = await openAgentSandbox(containment, agentId, projectDir)
  if (sandbox.ok && unsandboxed)
    options.store.events.append({
      type: 'run.unsandboxed',
      runId: null,
      message: UNSANDBOXED_WARNING,
    })
  return sandbox
}

/**
 * Runs one agent (`autocoder run --agent ...`) in the project directory itself, without the
 * orchestrator: checks credentials, features, the spec and the sandbox before anything starts,
 * then runs the session loop in the agent's sandbox. Passes are marked by the agent's tool
 * directly (no merge step to confirm them).
 */
export async function runSingleAgent(
  options: SingleAgentOptions,
): Promise<AgentResult<AgentRunResult>> {
  const { store, role } = options
  const projectDir = store.projectDir
  const sources: SettingSources = {
    project: store.settings.all(),
    global: options.globalSettings,
    env: options.env,
    home: options.env['HOME'] ?? homedir(),
  }
  const provider = resolveProvider(sources)
  if (!provider.ok) return provider
  const featureIds = chooseFeatures(options)
  if (!featureIds.ok) return featureIds
  const model = modelFor(role, sources, options.model)
  const chromium =
    setting(sources, SETTING_KEYS.chromiumPath, 'AUTOCODER_CHROMIUM') ?? DEFAULT_CHROMIUM_PATH
  const browser = !options.yolo && existsSync(chromium)
  const agentId = options.agentId ?? `${role}-${process.pid}`
  const env = modelProcessEnv(provider.value, {
    env: options.env,
    port: options.port,
    isRoot: process.getuid?.() === 0,
  })
  const sandbox = await openSandboxFor(options, sources, agentId, env['HOME'])
  if (!sandbox.ok) return sandbox
  try {
    // Our own git does not run here, but the person's does: config and hooks an agent changed go back.
    const guard = await RepoGuard.open(
      projectDir,
      { timeoutMs: 60_000, clock: options.clock },
      { persist: false },
    )
    const afterSession = async (): Promise<void> => {
      const paths = (await guard?.guard.check()) ?? []
      if (paths.length > 0)
        store.events.append({ type: 'git.restored', paths, when: `after a session of ${agentId}` })
    }
    const run = prepareAgent({
      store,
      projectDir,
      agentId,
      role,
      featureIds: featureIds.value,
      model,
      port: options.port,
      yolo: options.yolo,
      featureCount: options.featureCount,
      env,
      chromiumPath: browser ? chromium : null,
      verifyPasses: false,
      autocoderHome: autocoderHome(options.env),
      promptSuffix: options.promptSuffix,
      sandbox: sandbox.value,
      afterSession,
    })
    options.onStart?.({
      agentId,
      model,
      featureIds: featureIds.value,
      provider: provider.value.description,
      browser,
      sandbox: sandbox.value.kind,
    })
    const result = await runAgent(run, {
      ...options.loop,
      runtime: options.runtime,
      store,
      clock: options.clock,
      signal: options.signal,
      maxIterations: options.maxIterations,
      leaseMs: DEFAULT_LEASE_MS,
    })
    return ok(result)
  } finally {
    store.claims.releaseAgent(agentId, 'agent finished')
    await sandbox.value.close()
  }
}
