import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { modelFor, modelProcessEnv, resolveProvider } from '../../../src/agents/providers.js'
import type { SettingSources } from '../../../src/agents/providers.js'
import { tempDir } from '../../helpers/tmp.js'

const sources = (over: Partial<SettingSources> = {}): SettingSources => ({
  env: {},
  home: '/nonexistent-home',
  ...over,
})

describe('resolveProvider', () => {
  it('reports a missing credential with the ways to add one', () => {
    const provider = resolveProvider(sources())
    expect(provider.ok).toBe(false)
    if (!provider.ok) {
      expect(provider.error.code).toBe('NO_CREDENTIALS')
      expect(provider.error.message).toContain('ANTHROPIC_API_KEY')
      expect(provider.error.message).toContain('claude')
      expect(provider.error.message).toContain('ANTHROPIC_BASE_URL')
    }
  })

  it('uses an API key from the environment', () => {
    const provider = resolveProvider(sources({ env: { ANTHROPIC_API_KEY: 'sk-test' } }))
    expect(provider.ok && provider.value).toMatchObject({
      kind: 'anthropic_api_key',
      env: { ANTHROPIC_API_KEY: 'sk-test' },
    })
  })

  it('prefers a project setting over a global one over the environment', () => {
    const provider = resolveProvider(
      sources({
        env: { ANTHROPIC_API_KEY: 'env' },
        global: { anthropic_api_key: 'global' },
        project: { anthropic_api_key: 'project' },
      }),
    )
    expect(provider.ok && provider.value.env['ANTHROPIC_API_KEY']).toBe('project')
  })

  it('routes a compatible base URL with its token, and gives a keyless local server a placeholder', () => {
    const glm = resolveProvider(
      sources({
        env: { ANTHROPIC_BASE_URL: 'https://glm.example/api/anthropic', ANTHROPIC_AUTH_TOKEN: 't' },
      }),
    )
    expect(glm.ok && glm.value).toMatchObject({
      kind: 'compatible',
      env: { ANTHROPIC_BASE_URL: 'https://glm.example/api/anthropic', ANTHROPIC_AUTH_TOKEN: 't' },
    })
    const ollama = resolveProvider(
      sources({ global: { anthropic_base_url: 'http://localhost:11434' } }),
    )
    expect(ollama.ok && ollama.value.env['ANTHROPIC_AUTH_TOKEN']).toBe('none')
  })

  it('refuses a base URL that is not http(s)', () => {
    expect(resolveProvider(sources({ env: { ANTHROPIC_BASE_URL: 'localhost:11434' } })).ok).toBe(
      false,
    )
  })

  it('finds an existing Claude Code login', () => {
    using home = tempDir()
    mkdirSync(join(home.path, '.claude'))
    writeFileSync(join(home.path, '.claude', '.credentials.json'), '{}')
    expect(resolveProvider(sources({ home: home.path })).ok && 'login').toBe('login')
  })
})

describe('modelFor', () => {
  it('takes the flag, then the role setting, then the general model, then the default', () => {
    const s = sources({ global: { model: 'general' }, project: { model_testing: 'cheap' } })
    expect(modelFor('testing', s, 'flag')).toBe('flag')
    expect(modelFor('testing', s)).toBe('cheap')
    expect(modelFor('coding', s)).toBe('general')
    expect(modelFor('coding', sources())).toBe('claude-opus-4-5')
  })
})

describe('modelProcessEnv', () => {
  it('passes only basics and the provider, turns off tool search and extra traffic, and sets the port', () => {
    const env = modelProcessEnv(
      { kind: 'anthropic_api_key', env: { ANTHROPIC_API_KEY: 'k' }, description: '' },
      { env: { PATH: '/bin', HOME: '/h', SECRET_TOKEN: 'x' }, port: 4100, isRoot: true },
    )
    expect(env).toMatchObject({
      PATH: '/bin',
      HOME: '/h',
      ANTHROPIC_API_KEY: 'k',
      ENABLE_TOOL_SEARCH: 'false',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      IS_SANDBOX: '1',
      PORT: '4100',
    })
    expect(env['SECRET_TOKEN']).toBeUndefined()
  })
})
