import { existsSync } from 'node:fs'
import { join } from 'node:path'

import { err, ok } from '../core/index.js'
import type { Result } from '../core/index.js'
import type { AgentRoleName } from './prompts.js'
import type { AgentError } from './error-codes.js'

/**
 * Settings keys (global settings in the registry, project settings in the project database).
 * A project setting wins over a global one; settings win over the environment.
 */
export const SETTING_KEYS = {
  apiKey: 'anthropic_api_key',
  authToken: 'anthropic_auth_token',
  baseUrl: 'anthropic_base_url',
  model: 'model',
  modelInitializer: 'model_initializer',
  modelCoding: 'model_coding',
  modelTesting: 'model_testing',
  chromiumPath: 'chromium_path',
  /** true: agents run without the OS sandbox (the person accepted the risk). */
  unsandboxed: 'unsandboxed',
  /** Hosts agent code may reach besides the npm registry. */
  allowedHosts: 'allowed_hosts',
} as const

export const DEFAULT_MODELS: Readonly<Record<AgentRoleName, string>> = {
  initializer: 'claude-opus-4-5',
  coding: 'claude-opus-4-5',
  // Regression checks re-run known steps: a cheaper model does.
  testing: 'claude-sonnet-4-5',
}

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium'

/** Where settings come from, highest priority first after explicit flags. */
export interface SettingSources {
  project?: Readonly<Record<string, unknown>> | undefined
  global?: Readonly<Record<string, unknown>> | undefined
  env: Readonly<Record<string, string | undefined>>
  /** The user's home (for an existing Claude Code login). */
  home: string
}

export type ProviderKind = 'anthropic_api_key' | 'claude_login' | 'compatible'

/** How the model process reaches a model: the variables it gets and a line for people. */
export interface Provider {
  kind: ProviderKind
  /** Variables for the model process (credentials included: never log them). */
  env: Record<string, string>
  description: string
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

/** A setting: project, then global, then the environment variable `envName`. */
export function setting(
  sources: SettingSources,
  key: string,
  envName?: string,
): string | undefined {
  return (
    text(sources.project?.[key]) ??
    text(sources.global?.[key]) ??
    (envName ? text(sources.env[envName]) : undefined)
  )
}

/** The model of a role: the flag, then the role's setting, then `model`, then the default. */
export function modelFor(role: AgentRoleName, sources: SettingSources, override?: string): string {
  const roleKey = {
    initializer: SETTING_KEYS.modelInitializer,
    coding: SETTING_KEYS.modelCoding,
    testing: SETTING_KEYS.modelTesting,
  }[role]
  return (
    text(override) ??
    setting(sources, roleKey) ??
    setting(sources, SETTING_KEYS.model, 'ANTHROPIC_MODEL') ??
    DEFAULT_MODELS[role]
  )
}

/** Whether Claude Code has a login of its own on this machine (we never read the file). */
export function hasClaudeLogin(home: string, env: SettingSources['env']): boolean {
  return (
    text(env['CLAUDE_CODE_OAUTH_TOKEN']) !== undefined ||
    existsSync(join(home, '.claude', '.credentials.json'))
  )
}

/** Variables the model process needs besides credentials, passed on from ours when set. */
const FORWARDED = [
  'API_TIMEOUT_MS',
  'ANTHROPIC_DEFAULT_SONNET_MODEL',
  'ANTHROPIC_DEFAULT_OPUS_MODEL',
  'ANTHROPIC_DEFAULT_HAIKU_MODEL',
]

/**
 * Picks the provider: a compatible base URL (Ollama, GLM, ...) with its token or key, an
 * Anthropic API key, or an existing Claude Code login. No credential at all is an error that
 * says how to add one, reported before any agent starts.
 */
export function resolveProvider(sources: SettingSources): Result<Provider, AgentError> {
  const baseUrl = setting(sources, SETTING_KEYS.baseUrl, 'ANTHROPIC_BASE_URL')
  const apiKey = setting(sources, SETTING_KEYS.apiKey, 'ANTHROPIC_API_KEY')
  const authToken = setting(sources, SETTING_KEYS.authToken, 'ANTHROPIC_AUTH_TOKEN')
  const env: Record<string, string> = {}
  for (const name of FORWARDED) {
    const value = text(sources.env[name])
    if (value !== undefined) env[name] = value
  }
  if (baseUrl !== undefined) {
    if (!/^https?:\/\//.test(baseUrl)) {
      return err(
        'PROVIDER_INVALID',
        `The base URL "${baseUrl}" is not an http(s) URL; set ${SETTING_KEYS.baseUrl} or ANTHROPIC_BASE_URL to e.g. http://localhost:11434.`,
      )
    }
    env['ANTHROPIC_BASE_URL'] = baseUrl
    if (apiKey !== undefined) env['ANTHROPIC_API_KEY'] = apiKey
    if (authToken !== undefined) env['ANTHROPIC_AUTH_TOKEN'] = authToken
    // Local servers such as Ollama need no key, but Claude Code wants one to start.
    if (apiKey === undefined && authToken === undefined) env['ANTHROPIC_AUTH_TOKEN'] = 'none'
    return ok({ kind: 'compatible', env, description: `compatible API at ${baseUrl}` })
  }
  if (apiKey !== undefined)
    return ok({
      kind: 'anthropic_api_key',
      env: { ...env, ANTHROPIC_API_KEY: apiKey },
      description: 'Anthropic API key',
    })
  if (authToken !== undefined)
    return ok({
      kind: 'anthropic_api_key',
      env: { ...env, ANTHROPIC_AUTH_TOKEN: authToken },
      description: 'Anthropic auth token',
    })
  if (hasClaudeLogin(sources.home, sources.env)) {
    const token = text(sources.env['CLAUDE_CODE_OAUTH_TOKEN'])
    return ok({
      kind: 'claude_login',
      env: token ? { ...env, CLAUDE_CODE_OAUTH_TOKEN: token } : env,
      description: 'Claude Code login',
    })
  }
  return err(
    'NO_CREDENTIALS',
    [
      'No model credentials found. Use one of:',
      '  - an Anthropic API key: export ANTHROPIC_API_KEY=sk-ant-... (or the anthropic_api_key setting)',
      '  - an existing Claude Code login: run `claude` once and log in (creates ~/.claude/.credentials.json)',
      '  - a compatible API: export ANTHROPIC_BASE_URL=http://localhost:11434 (Ollama) plus ANTHROPIC_AUTH_TOKEN if it needs one',
      'Or try `autocoder demo`, which needs none.',
    ].join('\n'),
  )
}

/** Variables the model process gets besides the provider's: never our whole environment. */
const BASE_VARIABLES = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LC_ALL',
  'TERM',
  'TMPDIR',
  'TZ',
]

/**
 * The complete environment of a model process: basics from ours, the provider's variables,
 * Claude Code switches (no tool search, no nonessential traffic, sandbox flag as root), and the
 * agent's dev-server port.
 */
export function modelProcessEnv(
  provider: Provider,
  options: {
    env: SettingSources['env']
    port?: number | undefined
    isRoot: boolean
    extra?: Readonly<Record<string, string>>
  },
): Record<string, string> {
  const env: Record<string, string> = {}
  for (const name of BASE_VARIABLES) {
    const value = options.env[name]
    if (value !== undefined) env[name] = value
  }
  Object.assign(env, provider.env, {
    ENABLE_TOOL_SEARCH: 'false',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_AGENT_SDK_CLIENT_APP: 'autocoder/0.1.0',
  })
  if (options.isRoot) env['IS_SANDBOX'] = '1'
  if (options.port !== undefined) env['PORT'] = String(options.port)
  Object.assign(env, options.extra ?? {})
  return env
}
