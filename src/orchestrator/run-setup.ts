import { hostname } from 'node:os'

import {
  DEFAULT_CHROMIUM_PATH,
  modelFor,
  resolveProvider,
  setting,
  SETTING_KEYS,
  containmentFor,
  sandboxGate,
} from '../agents/index.js'
import type { AgentRoleName, Provider, SettingSources } from '../agents/index.js'
import { parseStoredSettings } from '../core/api/index.js'
import type { ProjectSettings, RunStartBody } from '../core/api/index.js'
import type { Clock, SandboxKindName, Result } from '../core/index.js'
import { ok } from '../core/index.js'
import { loadPolicy } from '../security/index.js'
import type { ProjectStore } from '../store/index.js'
import type { CheckCommand } from '../workspace/index.js'
import type { AgentLauncher } from './agent-launcher.js'
import { policyCheckRunner } from './check-runner.js'
import { Orchestrator } from './orchestrator.js'
import type { RunSettings, RunSettingsInput } from './options.js'
import { normalizeRunSettings } from './options.js'
import { createSdkLauncher } from './sdk-launcher.js'
import type { SdkLauncherOptions } from './sdk-launcher.js'
import { gitWorkspace } from './workspace-port.js'
import type { WorkspacePort } from './workspace-port.js'
import type { OrchestratorError } from './error-codes.js'

/** Lease of claims (renewed by heartbeats) unless a caller asks for another. */
const DEFAULT_LEASE_MS = 5 * 60_000

/** Everything a run is built from. The same input gives the same run whoever starts it. */
export interface RunSetupInput {
  store: ProjectStore
  /** The run's own choices (CLI flags, the API's start body, a schedule): they win over settings. */
  request: RunStartBody
  /** Global settings (the registry's); the project's settings win over them. */
  globalSettings: Readonly<Record<string, unknown>>
  /**
   * The global settings now (the server's registry), read again when each agent starts so a model
   * changed meanwhile applies to the next agent; default `globalSettings` as given.
   */
  currentGlobalSettings?: (() => Readonly<Record<string, unknown>>) | undefined
  /** Our environment: provider variables and what model processes inherit. */
  env: Readonly<Record<string, string | undefined>>
  /** The person's home (an existing Claude Code login). */
  home: string
  /** `$AUTOCODER_HOME`, for the organisation's policy file. */
  autocoderHome: string
  /** Below every setting: the project's default concurrency in the registry. */
  defaultConcurrency?: number | undefined
  /** Who starts the run, recorded in `run.started`. */
  startedBy: 'cli' | 'server' | 'demo'
  /** With only questions left, wait for answers instead of ending with a report (the server). */
  waitForAnswers: boolean
  clock?: Clock | undefined
  /** A provider chosen by the caller (the offline demo's scripted model) instead of the settings'. */
  provider?: Provider | undefined
  /** The check command; default the `check_command` setting. */
  checkCommand?: CheckCommand | undefined
  initializerFeatureCount?: number | undefined
  /** Extra run settings (leases, attempts: tests and the demo). */
  settings?: RunSettingsInput | undefined
  /** Extra launcher options (prompt markers for the scripted model, session limits, a runtime). */
  launcher?: Partial<SdkLauncherOptions> | undefined
  /** Simulations: the launcher and workspace to use instead of Claude Code and git worktrees. */
  parts?: { launcher: AgentLauncher; workspace: WorkspacePort } | undefined
  /** The other registered projects: hidden from agent code. */
  otherProjects?: readonly string[] | undefined
}

/** A run ready to start, and what it was built from (for the banner and status). */
export interface RunSetup {
  orchestrator: Orchestrator
  /** Null only for simulated agents without model credentials. */
  provider: Provider | null
  settings: RunSettings
  yolo: boolean
  checkCommand: CheckCommand | null
  /** Where agent code runs; null for simulated agents (they run none). */
  sandbox: SandboxKindName | null
}

/** What a run is made of, decided once from the request and both levels of settings. */
interface RunChoices {
  provider: Provider | null
  settings: RunSettings
  yolo: boolean
  checkCommand: CheckCommand | null
  models: Record<AgentRoleName, string>
  chromiumPath: string
  /** The person accepted running agents without the OS sandbox (request, then settings). */
  unsandboxed: boolean
  allowedHosts: readonly string[]
}

function decide(input: RunSetupInput): Result<RunChoices, OrchestratorError> {
  const { store, request } = input
  const project = parseStoredSettings(store.settings.all(), 'project')
  if (!project.ok) return project
  const global = parseStoredSettings(input.globalSettings, 'global')
  if (!global.ok) return global
  const choose = <K extends keyof ProjectSettings>(key: K): ProjectSettings[K] =>
    project.value[key] ?? global.value[key]
  const sources: SettingSources = {
    project: project.value,
    global: global.value,
    env: input.env,
    home: input.home,
  }
  const resolved = input.provider ? ok(input.provider) : resolveProvider(sources)
  // Simulated agents need no model: a missing credential only stops real ones.
  if (!resolved.ok && !input.parts) return resolved
  const provider = resolved.ok ? resolved.value : null
  const yolo = request.yolo ?? choose('yolo') ?? false
  const settings = normalizeRunSettings({
    leaseMs: DEFAULT_LEASE_MS,
    ...input.settings,
    waitForAnswers: input.waitForAnswers,
    ...definedOnly({
      concurrency: request.concurrency ?? choose('concurrency') ?? input.defaultConcurrency,
      testingAgents: yolo ? 0 : (request.testingAgents ?? choose('testing_agents')),
      batchSize: request.batchSize ?? choose('batch_size'),
      testingBatchSize: request.testingBatchSize,
      maxAttempts: request.maxAttempts,
      maxCostUsd: request.maxCostUsd,
      maxHours: request.maxHours,
    }),
  })
  return ok({
    provider,
    settings,
    yolo,
    checkCommand: input.checkCommand ?? choose('check_command') ?? null,
    models: {
      initializer: modelFor('initializer', sources, request.model),
      coding: modelFor('coding', sources, request.model),
      testing: modelFor('testing', sources, request.model),
    },
    chromiumPath:
      setting(sources, SETTING_KEYS.chromiumPath, 'AUTOCODER_CHROMIUM') ?? DEFAULT_CHROMIUM_PATH,
    unsandboxed: request.unsandboxed ?? choose('unsandboxed') ?? false,
    allowedHosts: choose('allowed_hosts') ?? [],
  })
}

/**
 * The one way to build a run (CLI, server, demo): stored settings are parsed with the settings
 * API's schema; the run's own choices win over the project's settings, which win over the global
 * ones, then the defaults. Provider and models, the check command (run through the policy), the
 * launcher (browser and OS sandbox as for a single agent) and the git workspace follow from that.
 */
export async function setUpRun(input: RunSetupInput): Promise<Result<RunSetup, OrchestratorError>> {
  const decided = decide(input)
  if (!decided.ok) return decided
  const choices = decided.value
  const real = input.parts ? null : await realParts(input, choices)
  if (real && !real.ok) return real
  const parts = real ? real.value : input.parts!
  const sandbox = real ? real.value.sandbox : null
  const orchestrator = new Orchestrator({
    store: input.store,
    launcher: parts.launcher,
    workspace: parts.workspace,
    settings: choices.settings,
    environment: { host: hostname(), ...(input.clock ? { clock: input.clock } : {}) },
    yolo: choices.yolo,
    initializerFeatureCount: input.initializerFeatureCount,
    sandbox: sandbox ?? undefined,
    describe: {
      by: input.startedBy,
      projectDir: input.store.projectDir,
      checkCommand: choices.checkCommand,
      model: input.request.model ?? null,
      yolo: choices.yolo,
    },
  })
  const { provider, settings, yolo, checkCommand } = choices
  return ok({ orchestrator, provider, settings, yolo, checkCommand, sandbox })
}

interface RealParts {
  launcher: AgentLauncher
  workspace: WorkspacePort
  sandbox: SandboxKindName
}

/**
 * Claude Code agents through the SDK launcher, git worktrees, the merge check through the policy;
 * every agent and every check in a sandbox of its own, after the gate said one works here (or
 * the person accepted running without it).
 */
async function realParts(
  input: RunSetupInput,
  choices: RunChoices,
): Promise<Result<RealParts, OrchestratorError>> {
  const { store } = input
  const projectDir = store.projectDir
  if (choices.provider === null) throw new Error('real agents need a provider')
  // The gate (a real sandbox, attacked a little) and what the sandboxes will hide, at once.
  const [gate, containment] = await Promise.all([
    sandboxGate(choices.unsandboxed),
    containmentFor({
      projectDir,
      autocoderHome: input.autocoderHome,
      env: input.env,
      homes: [input.home, input.env['HOME'] ?? input.home],
      otherProjects: input.otherProjects ?? [],
      allowedHosts: choices.allowedHosts,
      unsandboxed: choices.unsandboxed,
    }),
  ])
  if (!gate.ok) return gate
  const policy =
    choices.checkCommand === null
      ? null
      : await loadPolicy({ projectDir, autocoderHome: input.autocoderHome })
  if (policy && !policy.ok) return policy
  const clock = input.clock ?? store.clock
  const launcher = createSdkLauncher({
    store,
    projectDir,
    clock,
    provider: choices.provider,
    models: liveModels(input, choices.models),
    env: input.env,
    isRoot: process.getuid?.() === 0,
    leaseMs: choices.settings.leaseMs,
    yolo: choices.yolo,
    chromiumPath: choices.chromiumPath,
    autocoderHome: input.autocoderHome,
    containment,
    ...input.launcher,
  })
  const workspace = gitWorkspace({
    projectDir,
    checkCommand: choices.checkCommand ?? undefined,
    runCheck: policy ? policyCheckRunner(policy.value, containment, clock) : undefined,
    clock,
  })
  return ok({ launcher, workspace, sandbox: gate.value })
}

/**
 * Models per role, read from the settings again each time an agent starts (the project's settings
 * from its store, the global ones from `currentGlobalSettings`), so a model changed in the settings
 * applies to the next agent. A setting made invalid meanwhile keeps the model the run started with.
 */
export function liveModels(
  input: RunSetupInput,
  atStart: Readonly<Record<AgentRoleName, string>>,
): Readonly<Record<AgentRoleName, string>> {
  const now = (role: AgentRoleName): string => {
    const project = parseStoredSettings(input.store.settings.all(), 'project')
    const global = parseStoredSettings(
      input.currentGlobalSettings?.() ?? input.globalSettings,
      'global',
    )
    if (!project.ok || !global.ok) return atStart[role]
    const sources = {
      project: project.value,
      global: global.value,
      env: input.env,
      home: input.home,
    }
    return modelFor(role, sources, input.request.model)
  }
  return {
    get initializer() {
      return now('initializer')
    },
    get coding() {
      return now('coding')
    },
    get testing() {
      return now('testing')
    },
  }
}

function definedOnly<T extends Record<string, unknown>>(
  value: T,
): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<{
    [K in keyof T]: Exclude<T[K], undefined>
  }>
}
