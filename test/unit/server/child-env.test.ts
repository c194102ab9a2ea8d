import { describe, expect, it } from 'vitest'

import { safeChildEnv } from '../../../src/server/index.js'

describe('safeChildEnv', () => {
  it('drops the server credentials and keeps ordinary variables', () => {
    const env = safeChildEnv({
      PATH: '/usr/bin',
      HOME: '/home/me',
      ANTHROPIC_API_KEY: 'sk-ant-1',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:1',
      GITHUB_TOKEN: 'ghp_x',
      AWS_SECRET_ACCESS_KEY: 'x',
      NPM_TOKEN: 'x',
      DB_PASSWORD: 'x',
      STRIPE_SECRET_KEY: 'x',
      OPENAI_API_KEY: 'x',
      MY_SERVICE_API_KEY: 'x',
      SSH_AUTH_SOCK: '/tmp/agent',
      LANG: 'C.UTF-8',
    })
    expect(Object.keys(env).sort()).toEqual(['HOME', 'LANG', 'PATH', 'SSH_AUTH_SOCK'])
  })

  it('adds the extra variables', () => {
    expect(safeChildEnv({ PATH: '/bin' }, { TERM: 'xterm-256color' })).toEqual({
      PATH: '/bin',
      TERM: 'xterm-256color',
    })
  })
})
