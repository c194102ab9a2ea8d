import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { delimiter, dirname, join } from 'node:path'

import type { CredentialSource, SetupStatus } from '../core/api/index.js'

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

function onPath(command: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, command))) return join(dir, command)
  }
  return null
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
  const pathBinary = sdkBinary === null ? onPath('claude', probe.env) : null
  const sources = credentialSources(probe)
  // A base URL alone (a local compatible endpoint) counts; otherwise a key, token or login is needed.
  const credentials = sources.length > 0
  const [git, npm] = await Promise.all([
    version('git', ['--version'], probe.env),
    version('npm', ['--version'], probe.env),
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
