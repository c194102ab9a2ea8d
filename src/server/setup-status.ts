import { execFile } from 'node:child_process'
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

import type { CredentialSource, SetupStatus } from '../core/api/index.js'
import { findProgram } from '../sandbox/index.js'

export interface SetupProbe {
  env: NodeJS.ProcessEnv
  homeDir: string
}

/** The `claude` binary shipped with the agent SDK for this platform, if installed. */
export function sdkClaudeBinary(): string | null {
  try {
    const require = createRequire(import.meta.url)
    const manifest = require.resolve(
      `@anthropic-ai/claude-agent-sdk-${process.platform}-${process.arch}/package.json`,
    )
    const binary = join(dirname(manifest), process.platform === 'win32' ? 'claude.exe' : 'claude')
    return existsSync(binary) ? binary : null
  } catch {
    return null
  }
}

function version(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: 5000 }, (error, stdout) => {
      if (error) return resolve(null)
      const match = /\d+\.\d+(\.\d+)?/.exec(stdout)
      resolve(match ? match[0] : stdout.trim().slice(0, 40) || null)
    })
  })
}

/**
 * npm's version from the package.json of the npm found on PATH (`bin/npm-cli.js` links into its
 * package), else from `npm --version`. Starting npm costs a Node start (~200 ms of CPU), which the
 * first screen asks for while the browser is busy loading it.
 */
function npmVersion(env: NodeJS.ProcessEnv): Promise<string | null> {
  const found = findProgram('npm', env.PATH ?? '')
  if (found === null) return Promise.resolve(null)
  try {
    const manifest = join(dirname(dirname(realpathSync(found))), 'package.json')
    const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'))
    if (typeof parsed === 'object' && parsed !== null && 'name' in parsed && 'version' in parsed) {
      const { name, version: stated } = parsed
      if (name === 'npm' && typeof stated === 'string') return Promise.resolve(stated)
    }
  } catch {
    // not laid out as an npm package: ask npm itself
  }
  return version(found, ['--version'], env)
}

function credentialSources(probe: SetupProbe): CredentialSource[] {
  const sources: CredentialSource[] = []
  const set = (name: string): boolean => (probe.env[name] ?? '').trim() !== ''
  if (set('ANTHROPIC_API_KEY')) sources.push('ANTHROPIC_API_KEY')
  if (set('ANTHROPIC_AUTH_TOKEN')) sources.push('ANTHROPIC_AUTH_TOKEN')
  if (set('ANTHROPIC_BASE_URL')) sources.push('ANTHROPIC_BASE_URL')
  if (existsSync(join(probe.homeDir, '.claude', '.credentials.json'))) sources.push('claude_login')
  return sources
}

/** What the setup screen shows: tools found and where credentials come from (never their values). */
export async function setupStatus(probe: SetupProbe): Promise<SetupStatus> {
  const sdkBinary = sdkClaudeBinary()
  const pathBinary = sdkBinary === null ? findProgram('claude', probe.env.PATH ?? '') : null
  const sources = credentialSources(probe)
  // A base URL alone (a local compatible endpoint) counts; otherwise a key, token or login is needed.
  const credentials = sources.length > 0
  const [git, npm] = await Promise.all([
    version('git', ['--version'], probe.env),
    npmVersion(probe.env),
  ])
  const claudePresent = sdkBinary !== null || pathBinary !== null
  return {
    claudeCli: {
      present: claudePresent,
      source: sdkBinary !== null ? 'sdk' : pathBinary !== null ? 'path' : null,
    },
    credentials: { present: credentials, sources },
    git: { present: git !== null, version: git },
    node: { present: true, version: process.versions.node },
    npm: { present: npm !== null, version: npm },
    ready: claudePresent && credentials && git !== null,
  }
}
