// `autocoder run --agent` and `autocoder doctor` from the command line.
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, describe, expect, it } from 'vitest'

import { unwrap } from '../../../src/core/result.js'
import { parseScenario, startScriptedModel } from '../../../src/scripted-model/index.js'
import type { ScriptedModel } from '../../../src/scripted-model/index.js'
import { ProjectStore } from '../../../src/store/index.js'
import { runCli, runCliAsync } from '../../helpers/cli.js'
import { tempDir } from '../../helpers/tmp.js'

const noCredentials = {
  ANTHROPIC_API_KEY: '',
  ANTHROPIC_AUTH_TOKEN: '',
  ANTHROPIC_BASE_URL: '',
  CLAUDE_CODE_OAUTH_TOKEN: '',
}
let model: ScriptedModel | undefined

afterEach(async () => {
  await model?.close()
  model = undefined
})

function projectWithFeature(dir: string): void {
  const store = unwrap(ProjectStore.open(dir))
  unwrap(
    store.features.create(
      [
        {
          category: 'functional',
          name: 'Greeting',
          description: 'd',
          steps: ['s'],
          dependencies: [],
        },
      ],
      { by: 'test' },
    ),
  )
  store.close()
}

describe('autocoder run --agent', () => {
  it('runs a coding agent against the configured API and prints its events live', async () => {
    using dir = tempDir()
    projectWithFeature(dir.path)
    const scenario = unwrap(
      parseScenario({
        name: 'run',
        turns: [
          {
            text: 'Taking it.',
            tools: [
              {
                name: 'mcp__features__feature_claim_and_get',
                input: { feature_id: '{{featureId}}' },
              },
            ],
          },
          {
            tools: [
              {
                name: 'mcp__features__feature_mark_passing',
                input: { feature_id: '{{featureId}}' },
              },
            ],
          },
          { text: 'Done.' },
        ],
      }),
    )
    model = await startScriptedModel({ scenarios: [scenario], defaultScenario: 'run' })
    const env = {
      ...noCredentials,
      HOME: dir.path,
      AUTOCODER_HOME: join(dir.path, 'home'),
      ANTHROPIC_BASE_URL: model.url,
      ANTHROPIC_API_KEY: 'test',
    }
    const result = await runCliAsync(
      ['run', '--project', dir.path, '--agent', 'coding', '--model', 'claude-sonnet-4-5', '--yolo'],
      { env },
    )
    expect(result.stderr).toBe('')
    expect(result.stdout).toContain('Running coding agent')
    expect(result.stdout).toContain('Taking it.')
    expect(result.stdout).toContain('→ feature_mark_passing 1')
    expect(result.stdout).toMatch(/done: Assigned work done after 1 session/)
    expect(result.status).toBe(0)
  })

  it('reports a missing credential before anything starts, with how to fix it', () => {
    using dir = tempDir()
    projectWithFeature(dir.path)
    const result = runCli(['run', '--project', dir.path, '--agent', 'coding'], {
      env: { ...noCredentials, HOME: dir.path, AUTOCODER_HOME: join(dir.path, 'home') },
    })
    expect(result.status).toBe(2)
    expect(result.stderr).toContain('No model credentials found')
    expect(result.stderr).toContain('ANTHROPIC_API_KEY')
    expect(result.stdout).not.toContain('Running')
  })

  it('refuses an unknown role', () => {
    using dir = tempDir()
    const result = runCli(['run', '--project', dir.path, '--agent', 'reviewer'])
    expect(result.status).toBe(2)
    expect(result.stderr).toContain('--agent must be one of initializer, coding, testing')
  })
})

describe('autocoder doctor', () => {
  it('fails without credentials and says how to add them', () => {
    using dir = tempDir()
    const result = runCli(['doctor', '--json'], {
      env: { ...noCredentials, HOME: dir.path, AUTOCODER_HOME: join(dir.path, 'home') },
    })
    expect(result.status).toBe(1)
    const report = JSON.parse(result.stdout) as {
      ok: boolean
      checks: Array<{ name: string; ok: boolean; fix?: string }>
    }
    expect(report.ok).toBe(false)
    const byName = Object.fromEntries(report.checks.map((check) => [check.name, check]))
    expect(byName['credentials']).toMatchObject({ ok: false })
    expect(byName['credentials']?.fix).toContain('ANTHROPIC_API_KEY')
    expect(byName['node']).toMatchObject({ ok: true })
    expect(byName['claude']).toMatchObject({ ok: true })
    expect(byName['autocoder home']).toMatchObject({ ok: true })
    // The sandbox is started and attacked for real; where it cannot run, the fix says what to install.
    const sandbox = byName['sandbox'] as unknown as { ok: boolean; required: boolean; fix?: string }
    expect(sandbox.required).toBe(true)
    if (!sandbox.ok) expect(sandbox.fix).toMatch(/apt-get install|accept the risk/)
    expect(byName['server token']).toMatchObject({
      ok: true,
      detail: `${join(dir.path, 'home', 'server-token')} is made when autocoder ui first starts`,
    })
  })

  it('says where the server token lives, never what it is, and makes one readable by others private', () => {
    using dir = tempDir()
    const home = join(dir.path, 'home')
    mkdirSync(home, { mode: 0o755 })
    chmodSync(home, 0o755)
    const tokenFile = join(home, 'server-token')
    writeFileSync(tokenFile, `${'t'.repeat(43)}\n`, { mode: 0o644 })
    chmodSync(tokenFile, 0o644)
    const result = runCli(['doctor'], {
      env: { ...noCredentials, HOME: dir.path, AUTOCODER_HOME: home },
    })
    // Reading the settings opens the registry, which makes AUTOCODER_HOME private first.
    expect(result.stderr).toContain(`${tokenFile} was readable by others (0644); now 0600.`)
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600)
    expect(result.stdout).toMatch(
      /ok {4}server token {4}\S+server-token \(autocoder ui --print-url prints the address with it\)/,
    )
    expect(`${result.stdout}${result.stderr}`).not.toContain('t'.repeat(43))
  })

  it('passes with an API key', () => {
    using dir = tempDir()
    const result = runCli(['doctor', '--project', dir.path], {
      env: {
        ...noCredentials,
        ANTHROPIC_API_KEY: 'sk-test',
        HOME: dir.path,
        AUTOCODER_HOME: join(dir.path, 'home'),
      },
    })
    expect(result.stdout).toContain('Anthropic API key')
    expect(result.stdout).toContain('Ready to run.')
    expect(result.status).toBe(0)
  })
})
