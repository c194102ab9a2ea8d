// The real `claude` binary honours our PreToolUse hook's `updatedInput`: an agent's Bash command,
// once the policy allows it, runs inside the agent's sandbox (bubblewrap). Commands the policy
// lets through and only the sandbox contains (the agent's own scripts, `node -e`) try to print the model's API key,
// read a canary key in a fake home, write outside the project and call a loopback server standing
// in for ours: nothing reaches the model, nothing is written, the server sees no connection.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { runSingleAgent, sdkRuntime } from '../../../src/agents/index.js'
import { systemClock } from '../../../src/core/clock.js'
import type { AppEvent } from '../../../src/core/events.js'
import { unwrap } from '../../../src/core/result.js'
import { parseScenario, startScriptedModel } from '../../../src/scripted-model/index.js'
import type { ScriptedModel } from '../../../src/scripted-model/index.js'
import { ProjectStore } from '../../../src/store/index.js'
import { countingServer } from '../../integration/sandbox/fixture.js'
import type { CountingServer } from '../../integration/sandbox/fixture.js'
import { scratchDir, skipReason } from '../../integration/sandbox/helpers.js'

const API_KEY = 'sk-ant-canary-bash-sandbox-7c1d'
const HOME_KEY = 'canary-home-key-b9e2'

let root: { path: string } & Disposable
let store: ProjectStore
let model: ScriptedModel | undefined
let server: CountingServer

beforeEach(async () => {
  root = scratchDir('autocoder-bash-sandbox-')
  mkdirSync(join(root.path, 'project'))
  store = unwrap(ProjectStore.open(join(root.path, 'project')))
  server = await countingServer('autocoder-server')
})

afterEach(async () => {
  store.close()
  await model?.close()
  model = undefined
  await server.close()
  root[Symbol.dispose]()
})

const node = (code: string): string => `node -e ${JSON.stringify(code)}`

describe.skipIf(skipReason !== null)("a real agent's Bash in its sandbox", () => {
  it('runs allowed commands inside: no API key, no home key, no write outside, no server', async () => {
    const project = join(root.path, 'project')
    const home = join(root.path, 'home')
    const outside = join(root.path, 'outside')
    mkdirSync(join(home, '.ssh'), { recursive: true })
    mkdirSync(outside)
    writeFileSync(join(home, '.ssh', 'id_rsa'), HOME_KEY)
    const [feature] = unwrap(
      store.features.create(
        [{ category: 'functional', name: 'F', description: 'd', steps: ['s'], dependencies: [] }],
        { by: 'test' },
      ),
    )
    const bash = (command: string) => ({
      tools: [{ name: 'Bash', input: { command, description: 'probe' } }],
    })
    const write = (file: string, content: string) => ({
      name: 'Write',
      input: { file_path: `{{cwd}}/${file}`, content },
    })
    const scenario = unwrap(
      parseScenario({
        name: 'agent',
        turns: [
          // The agent's own scripts: the policy refuses such code in node -e, not in a file.
          {
            tools: [
              write(
                'env-keys.cjs',
                "console.log('HOME=' + process.env.HOME + ' keys=' + (Object.keys(process.env).filter((n) => /ANTHROPIC|KEY|TOKEN/.test(n)).join(',') || 'none'))\n",
              ),
              write(
                'home-key.cjs',
                `try { console.log('home key: ' + require('fs').readFileSync(${JSON.stringify(join(home, '.ssh', 'id_rsa'))}, 'utf8')) } catch (e) { console.log('home key refused ' + e.code) }\n`,
              ),
              write(
                'write-outside.cjs',
                `try { require('fs').writeFileSync(${JSON.stringify(join(outside, 'x'))}, 'x'); console.log('WROTE outside') } catch (e) { console.log('write outside refused ' + e.code) }\n`,
              ),
            ],
          },
          bash('node env-keys.cjs'),
          bash('node home-key.cjs'),
          bash('node write-outside.cjs'),
          bash(
            node(
              `fetch('http://127.0.0.1:${server.port}/api/settings').then((r) => console.log('server ANSWERED ' + r.status), (e) => console.log('server unreachable ' + (e.cause?.code ?? e.message)))`,
            ),
          ),
          bash('echo inside > inside.txt && cat inside.txt'),
          { text: 'Done.' },
        ],
      }),
    )
    model = await startScriptedModel({ scenarios: [scenario], defaultScenario: 'agent' })
    const events: AppEvent[] = []
    const unsubscribe = store.events.subscribe((event) => events.push(event))
    const result = await runSingleAgent({
      store,
      role: 'coding',
      featureIds: [feature!.id],
      model: 'claude-sonnet-4-5',
      yolo: true,
      port: 4321,
      maxIterations: 1,
      env: {
        PATH: process.env['PATH'],
        HOME: home,
        ANTHROPIC_BASE_URL: model.url,
        ANTHROPIC_API_KEY: API_KEY,
      },
      runtime: sdkRuntime,
      clock: systemClock,
    })
    unsubscribe()
    expect(result.ok, JSON.stringify(result)).toBe(true)
    const outputs = events.flatMap((e) => (e.type === 'agent.tool_result' ? [e.output] : []))
    expect(outputs).toHaveLength(8)
    // It ran inside: the sandbox's HOME, none of the model process's variables.
    expect(outputs[3]).toBe('HOME=/tmp/home keys=none')
    expect(outputs[4]).toMatch(/^home key( refused E\w+|:\s*)$/)
    expect(outputs[4]).not.toContain(HOME_KEY)
    expect(outputs[5]).toMatch(/write outside refused E(ROFS|ACCES|NOENT)/)
    expect(outputs[6]).toMatch(/server unreachable/)
    expect(outputs[7]).toContain('inside')
    expect(readFileSync(join(project, 'inside.txt'), 'utf8')).toBe('inside\n')
    expect(readdirSync(outside)).toEqual([])
    expect(server.connections).toBe(0)
    // Neither key ever reached the model.
    const sent = JSON.stringify(model.requests.map((request) => request.body))
    expect(sent).not.toContain(API_KEY)
    expect(sent).not.toContain(HOME_KEY)
  }, 180_000)
})
