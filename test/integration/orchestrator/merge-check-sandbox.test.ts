// The merge check runs agent-written code (the project's `npm test` on the merged result): it
// runs inside a sandbox of its own. Here an agent's branch brings tests that try to write outside
// the project, read a canary key in a fake home and the project database, call a loopback server
// standing in for ours and print the orchestrator's API key: the real merge queue, the real
// policy, `npm test` in real bubblewrap. Everything is contained, and the check still passes.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { unwrap } from '../../../src/core/result.js'
import { policyCheckRunner } from '../../../src/orchestrator/index.js'
import { createBashPolicy } from '../../../src/security/index.js'
import { createMergeQueue, createWorktree } from '../../../src/workspace/index.js'
import type { MergeQueue } from '../../../src/workspace/index.js'
import { testContainment } from '../../helpers/containment.js'
import { countingServer } from '../sandbox/fixture.js'
import type { CountingServer } from '../sandbox/fixture.js'
import { scratchDir, skipReason } from '../sandbox/helpers.js'
import { gitSync, writeFiles } from '../workspace/fixture.js'
import { ensureRepository } from '../../../src/workspace/index.js'

const KEY = 'canary-private-key-5e1f'
const API_KEY = 'sk-ant-canary-merge-check'

/** The agent's tests: each attack prints what it got; the test passes whatever happened. */
function attackTests(outside: string, home: string, project: string, port: number): string {
  return `
const fs = require('fs')
const report = (name, value) => console.log('ATTACK ' + name + ': ' + value)
try { fs.writeFileSync(${JSON.stringify(join(outside, 'from-tests'))}, 'x'); report('write outside', 'WROTE') } catch (e) { report('write outside', 'refused ' + e.code) }
try { report('home key', fs.readFileSync(${JSON.stringify(join(home, '.ssh', 'id_rsa'))}, 'utf8') || 'empty') } catch (e) { report('home key', 'refused ' + e.code) }
try { report('project db', fs.readFileSync(${JSON.stringify(join(project, '.autocoder', 'autocoder.db'))}).length || 'empty') } catch (e) { report('project db', 'refused ' + e.code) }
report('env keys', Object.keys(process.env).filter((name) => name.startsWith('ANTHROPIC')).join(',') || 'none')
fs.writeFileSync('written-by-tests.txt', 'inside')
report('write inside', fs.readFileSync('written-by-tests.txt', 'utf8'))
const http = require('http')
const request = http.get('http://127.0.0.1:${port}/api/settings', (response) => {
  report('server', 'ANSWERED ' + response.statusCode)
})
request.on('error', (e) => report('server', 'unreachable ' + e.code))
request.setTimeout(3000, () => { report('server', 'timeout'); request.destroy() })
`
}

describe.skipIf(skipReason !== null)('the merge check in its sandbox', () => {
  let root: { path: string } & Disposable
  let server: CountingServer
  let queue: MergeQueue | undefined
  let savedKey: string | undefined

  beforeEach(async () => {
    root = scratchDir('autocoder-check-')
    server = await countingServer('autocoder-server')
    // The orchestrator's own environment holds the API key; the check must not inherit it.
    savedKey = process.env['ANTHROPIC_API_KEY']
    process.env['ANTHROPIC_API_KEY'] = API_KEY
  })
  afterEach(async () => {
    if (savedKey === undefined) delete process.env['ANTHROPIC_API_KEY']
    else process.env['ANTHROPIC_API_KEY'] = savedKey
    await queue?.close()
    queue = undefined
    await server.close()
    root[Symbol.dispose]()
  })

  it('contains agent-written tests run by npm test: no write outside, no key, no server, no API key', async () => {
    const project = join(root.path, 'project')
    const outside = join(root.path, 'outside')
    const home = join(root.path, 'home')
    mkdirSync(join(home, '.ssh'), { recursive: true })
    mkdirSync(outside)
    writeFileSync(join(home, '.ssh', 'id_rsa'), KEY)
    writeFiles(project, {
      'package.json': JSON.stringify({
        name: 'app',
        private: true,
        scripts: { test: 'echo none' },
      }),
    })
    unwrap(await ensureRepository(project))
    mkdirSync(join(project, '.autocoder'), { recursive: true })
    writeFileSync(join(project, '.autocoder', 'autocoder.db'), `db with ${API_KEY}`)

    const tree = unwrap(
      await createWorktree({ projectDir: project, agentId: 'coding-1', baseBranch: 'main' }),
    )
    writeFiles(tree.path, {
      'package.json': JSON.stringify({
        name: 'app',
        private: true,
        scripts: { test: 'node attack.test.cjs' },
      }),
      'attack.test.cjs': attackTests(outside, home, project, server.port),
    })
    gitSync(tree.path, 'add', '-A')
    gitSync(tree.path, 'commit', '-qm', 'tests that attack')

    const policy = unwrap(await createBashPolicy())
    const containment = testContainment(project, { homes: [home] })
    queue = createMergeQueue({
      projectDir: project,
      branch: 'main',
      checkCommand: ['npm', 'test'],
      runCheck: policyCheckRunner(policy, containment),
      timeoutMs: 120_000,
    })
    const outcome = await queue.enqueue({
      agentId: 'coding-1',
      worktreeBranch: tree.branch,
      featureIds: [1],
      message: 'Feature 1',
    })
    expect(outcome.kind, JSON.stringify(outcome)).toBe('merged')
    const output = outcome.kind === 'merged' ? (outcome.checkOutput ?? '') : ''
    const line = (name: string): string =>
      new RegExp(`ATTACK ${name}: (.*)`).exec(output)?.[1] ?? `(no line for ${name})`
    expect(line('write outside')).toMatch(/^refused E(ROFS|ACCES|NOENT)/)
    expect(line('home key')).toMatch(/^(empty|refused)/)
    expect(line('project db')).toMatch(/^(empty|refused)/)
    expect(line('env keys')).toBe('none')
    expect(line('write inside')).toBe('inside')
    expect(line('server')).toMatch(/^(unreachable|timeout)/)
    expect(readdirSync(outside)).toEqual([])
    expect(server.connections).toBe(0)
    expect(output).not.toContain(KEY)
    expect(output).not.toContain(API_KEY)
  }, 180_000)
})
