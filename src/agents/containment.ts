import { mkdirSync, realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'

import { parseStoredSettings } from '../core/api/index.js'
import { err, ok } from '../core/index.js'
import type { Result } from '../core/index.js'
import { npmRegistryHost, openSandbox, probeSandbox } from '../sandbox/index.js'
import type { Sandbox, SandboxKind, SandboxProbe } from '../sandbox/index.js'
import { agentSandboxSpec, devServerSandboxSpec, projectContainment } from '../security/index.js'
import type { ProjectContainment } from '../security/index.js'
import { readGitIdentity } from '../workspace/index.js'
import { playwrightModulesDir } from './playwright.js'
import type { AgentError } from './error-codes.js'

/** How a person accepts running agents without the OS sandbox (named in every refusal). */
export const ACCEPT_RISK_HINT =
  'pass --unsandboxed to `autocoder run` / `autocoder demo`, or set the setting unsandboxed=true'

/** The warning every run without the sandbox records (`run.unsandboxed`) and prints. */
export const UNSANDBOXED_WARNING =
  'Agents run WITHOUT the OS sandbox (a person accepted the risk): their code can read credentials, write outside the project and reach any host; only the command policy guides them.'

let probed: Promise<SandboxProbe> | null = null

/**
 * The OS sandbox of this machine, tested for real (`probeSandbox`): once per process while it
 * works; a failed probe is tried again next time (the person may have installed what was missing).
 */
export async function sandboxProbe(): Promise<SandboxProbe> {
  probed ??= probeSandbox()
  const probe = await probed
  if (!probe.ok) probed = null
  return probe
}

/** What a probe found, for people: the checks it passed, or those that failed and why. */
export function probeDetail(probe: SandboxProbe): string {
  if (probe.ok)
    return `${probe.kind} contains agents: ${probe.checks.map((check) => check.name).join(', ')} checked`
  const failed = probe.checks.filter((check) => !check.ok)
  return `${probe.kind}: ${failed.map((check) => `${check.name}: ${check.detail}`).join('; ')}`
}

/** The sandbox kind that works here, or `SANDBOX_UNAVAILABLE` with the fix and how to accept the risk. */
async function workingKind(
  probeNow: () => Promise<SandboxProbe>,
): Promise<Result<SandboxKind, AgentError>> {
  const probe = await probeNow()
  if (probe.ok) return ok(probe.kind)
  return err(
    'SANDBOX_UNAVAILABLE',
    `The OS sandbox cannot contain agents on this machine (${probeDetail(probe)}), so agents would run unconfined. Fix: ${probe.fix ?? 'see `autocoder doctor`'}. To run anyway, accepting that agent-written code can read your credentials and write outside the project, ${ACCEPT_RISK_HINT}.`,
  )
}

/**
 * The gate of every unattended run (`autocoder run`, `demo`, server runs): the sandbox kind agent
 * code will run in, tested for real, or `SANDBOX_UNAVAILABLE` with the fix. Only a person's
 * explicit acceptance (`unsandboxed`) runs agents without the wall; never a silent downgrade.
 */
export function sandboxGate(
  unsandboxed: boolean,
  probeNow: () => Promise<SandboxProbe> = sandboxProbe,
): Promise<Result<SandboxKind, AgentError>> {
  if (unsandboxed) return Promise.resolve(ok('unsandboxed'))
  return workingKind(probeNow)
}

export interface ContainmentFor {
  projectDir: string
  autocoderHome: string
  /** Our environment (PATH, locale) and the homes to hide (HOME, the model process's HOME). */
  env: Readonly<Record<string, string | undefined>>
  homes: readonly string[]
  otherProjects: readonly string[]
  /** The `allowed_hosts` setting. */
  allowedHosts: readonly string[]
  unsandboxed: boolean
}

/** The folder Node is installed in (shown inside even when it lies in a home, as with nvm). */
function nodeInstallDir(): string | null {
  try {
    return dirname(dirname(realpathSync(process.execPath)))
  } catch {
    return null
  }
}

/** The containment of a project's runs: hidden paths, hosts, environment, tools and git identity. */
export async function containmentFor(input: ContainmentFor): Promise<ProjectContainment> {
  const [registryHost, gitIdentity] = await Promise.all([
    npmRegistryHost(),
    readGitIdentity(input.projectDir),
  ])
  const toolDirs = [nodeInstallDir(), playwrightModulesDir()].filter(
    (dir): dir is string => dir !== null,
  )
  return projectContainment({
    projectDir: input.projectDir,
    autocoderHome: input.autocoderHome,
    homes: input.homes,
    otherProjects: input.otherProjects,
    registryHost,
    extraHosts: input.allowedHosts,
    env: input.env,
    gitIdentity,
    toolDirs,
    unsandboxed: input.unsandboxed,
  })
}

/**
 * The pod of one agent: its Bash calls, init.sh, the servers it starts and its browser all run in
 * it, across its sessions, until the caller closes it when the agent ends.
 */
export function openAgentSandbox(
  containment: ProjectContainment,
  agentId: string,
  checkout: string,
): Promise<Result<Sandbox, AgentError>> {
  mkdirSync(join(checkout, '.autocoder', 'screenshots'), { recursive: true })
  return openSandbox(agentSandboxSpec(containment, agentId, checkout), {
    unsandboxed: containment.unsandboxed,
  })
}

/** What the settings say about containment: the person's acceptance and the project's own hosts. */
export interface ContainmentChoices {
  unsandboxed: boolean
  allowedHosts: readonly string[]
}

/** `unsandboxed` and `allowed_hosts` from the stored settings, the project's over the global ones. */
export function containmentChoices(
  project: Readonly<Record<string, unknown>> | undefined,
  global: Readonly<Record<string, unknown>> | undefined,
): Result<ContainmentChoices, AgentError> {
  const own = parseStoredSettings(project, 'project')
  if (!own.ok) return own
  const all = parseStoredSettings(global, 'global')
  if (!all.ok) return all
  return ok({
    unsandboxed: own.value.unsandboxed ?? all.value.unsandboxed ?? false,
    allowedHosts: own.value.allowed_hosts ?? all.value.allowed_hosts ?? [],
  })
}

/**
 * The sandbox of a project's dev server, after the gate (a sandbox that works here, or the
 * person's explicit acceptance): it writes in the project; the caller exposes its port.
 */
export async function openDevServerSandbox(
  input: ContainmentFor,
): Promise<Result<Sandbox, AgentError>> {
  const [gate, containment] = await Promise.all([
    sandboxGate(input.unsandboxed),
    containmentFor(input),
  ])
  if (!gate.ok) return gate
  return openSandbox(devServerSandboxSpec(containment), { unsandboxed: input.unsandboxed })
}
