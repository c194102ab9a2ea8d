import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

import { findProgram } from '../sandbox/index.js'
import { describeServerToken } from '../store/index.js'
import { ACCEPT_RISK_HINT, probeDetail, sandboxProbe } from './containment.js'
import { DEFAULT_CHROMIUM_PATH, resolveProvider, setting, SETTING_KEYS } from './providers.js'
import type { SettingSources } from './providers.js'

export interface DoctorCheck {
  name: string
  ok: boolean
  /** A missing required piece makes `autocoder doctor` fail; an optional one only warns. */
  required: boolean
  detail: string
  /** What to do when it is not ok. */
  fix?: string | undefined
}

export interface DoctorOptions {
  sources: SettingSources
  /** Project to check for write access, if any. */
  projectDir?: string | undefined
  autocoderHome: string
  /** Minimum Node version, from package.json engines. */
  minNode?: string
}

const MIN_NODE = '20.19.0'

function versionAtLeast(actual: string, minimum: string): boolean {
  const a = actual.replace(/^v/, '').split('.').map(Number)
  const b = minimum.split('.').map(Number)
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0)
  }
  return true
}

/** The `claude` executable the SDK runs: its platform package's binary, else one on PATH. */
export function findClaudeBinary(searchPath: string): string | null {
  const require = createRequire(import.meta.url)
  try {
    const dir = dirname(
      require.resolve(
        `@anthropic-ai/claude-agent-sdk-${process.platform}-${process.arch}/package.json`,
      ),
    )
    const binary = join(dir, process.platform === 'win32' ? 'claude.exe' : 'claude')
    if (existsSync(binary)) return binary
  } catch {
    // the platform package is optional; fall back to PATH
  }
  return findProgram('claude', searchPath)
}

function run(command: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 })
  const output =
    `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() || result.error?.message || ''
  return { ok: result.status === 0, output: output.split('\n')[0] ?? '' }
}

function writable(dir: string, create: boolean): { ok: boolean; detail: string } {
  try {
    if (create) mkdirSync(dir, { recursive: true })
    const probe = join(dir, `.autocoder-doctor-${process.pid}`)
    writeFileSync(probe, 'ok')
    rmSync(probe)
    return { ok: true, detail: `${dir} is writable` }
  } catch (error) {
    return { ok: false, detail: `${dir}: ${(error as Error).message}` }
  }
}

/**
 * The OS sandbox, tested for real (`probeSandbox` starts one and attacks it a little): agents'
 * code runs only inside it, so a run without it needs the person to accept the risk explicitly.
 */
export async function sandboxCheck(): Promise<DoctorCheck> {
  const probe = await sandboxProbe()
  return {
    name: 'sandbox',
    ok: probe.ok,
    required: true,
    detail: probeDetail(probe),
    fix: `${probe.fix ?? 'see the failed checks'}; or, accepting the risk, ${ACCEPT_RISK_HINT}`,
  }
}

/** One named check of what a run needs; `null` when it does not apply (no project given). */
type DoctorStep = (options: DoctorOptions) => DoctorCheck | null | Promise<DoctorCheck | null>

/** Everything a run needs, in the order `autocoder doctor` prints it. */
const DOCTOR_STEPS: readonly DoctorStep[] = [
  nodeCheck,
  claudeCheck,
  credentialsCheck,
  gitCheck,
  chromiumCheck,
  () => sandboxCheck(),
  projectCheck,
  autocoderHomeCheck,
  (options) => serverTokenCheck(options.autocoderHome),
]

/** Everything a run needs, checked one by one, each with what to do when it is missing. */
export async function runDoctorChecks(options: DoctorOptions): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = []
  for (const step of DOCTOR_STEPS) {
    const check = await step(options)
    if (check !== null) checks.push(check)
  }
  return checks
}

function searchPathOf(options: DoctorOptions): string {
  return options.sources.env['PATH'] ?? ''
}

function nodeCheck(options: DoctorOptions): DoctorCheck {
  const minNode = options.minNode ?? MIN_NODE
  return {
    name: 'node',
    ok: versionAtLeast(process.version, minNode),
    required: true,
    detail: `Node ${process.version} (needs ${minNode} or later)`,
    fix: `install Node ${minNode} or later (e.g. with nvm: nvm install 20)`,
  }
}

function claudeCheck(options: DoctorOptions): DoctorCheck {
  const claude = findClaudeBinary(searchPathOf(options))
  const version = claude ? run(claude, ['--version']) : null
  return {
    name: 'claude',
    ok: version?.ok === true,
    required: true,
    detail: claude ? `${claude}: ${version?.output ?? ''}` : 'the claude binary was not found',
    fix: 'reinstall dependencies (npm ci) so @anthropic-ai/claude-agent-sdk brings its binary, or install Claude Code',
  }
}

function credentialsCheck(options: DoctorOptions): DoctorCheck {
  const provider = resolveProvider(options.sources)
  if (provider.ok)
    return { name: 'credentials', ok: true, required: true, detail: provider.value.description }
  return {
    name: 'credentials',
    ok: false,
    required: true,
    detail: 'no model credentials',
    fix: provider.error.message
      .split('\n')
      .slice(1)
      .map((line) => line.trim())
      .join('\n'),
  }
}

function gitCheck(): DoctorCheck {
  const git = run('git', ['--version'])
  return {
    name: 'git',
    ok: git.ok,
    required: true,
    detail: git.ok ? git.output : 'git was not found',
    fix: 'install git (apt-get install git)',
  }
}

function chromiumCheck(options: DoctorOptions): DoctorCheck {
  const chromium =
    setting(options.sources, SETTING_KEYS.chromiumPath, 'AUTOCODER_CHROMIUM') ??
    DEFAULT_CHROMIUM_PATH
  const chromiumFound = existsSync(chromium)
  const elsewhere = ['chromium', 'chromium-browser', 'google-chrome']
    .map((name) => findProgram(name, searchPathOf(options)))
    .find((path) => path !== null)
  return {
    name: 'chromium',
    ok: chromiumFound,
    required: false,
    detail: chromiumFound
      ? `${chromium} (browser verification on)`
      : `no Chromium at ${chromium}: agents verify without a browser (as with --yolo)`,
    fix: elsewhere
      ? `a browser is at ${elsewhere}: point the chromium_path setting or AUTOCODER_CHROMIUM at it`
      : 'install Chromium (apt-get install chromium) or set AUTOCODER_CHROMIUM to a Chromium binary',
  }
}

function projectCheck(options: DoctorOptions): DoctorCheck | null {
  if (options.projectDir === undefined) return null
  const project = writable(options.projectDir, false)
  return {
    name: 'project',
    ok: project.ok,
    required: true,
    detail: project.detail,
    fix: 'make the project folder writable by this user',
  }
}

function autocoderHomeCheck(options: DoctorOptions): DoctorCheck {
  const home = writable(options.autocoderHome, true)
  return {
    name: 'autocoder home',
    ok: home.ok,
    required: true,
    detail: home.detail,
    fix: 'make it writable, or point AUTOCODER_HOME at a writable folder',
  }
}

/** Where the web server's token lives and whether only its owner can read it (never its value). */
function serverTokenCheck(autocoderHome: string): DoctorCheck {
  const token = describeServerToken(autocoderHome)
  return {
    name: 'server token',
    ok: !token.exists || token.private,
    required: false,
    detail: !token.exists
      ? `${token.path} is made when autocoder ui first starts`
      : `${token.path}${token.private ? '' : ' is readable by others'} (autocoder ui --print-url prints the address with it)`,
    fix: `chmod 700 ${autocoderHome} && chmod 600 ${token.path} (autocoder ui also does this when it starts)`,
  }
}
