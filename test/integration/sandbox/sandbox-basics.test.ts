import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { probeSandbox } from '../../../src/sandbox/index.js'
import type { Sandbox } from '../../../src/sandbox/index.js'
import {
  freePort,
  openWorkSandbox,
  runSpawned,
  runWrapped,
  scratchDir,
  skipReason,
} from './helpers.js'

function httpGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/' }, (response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => (body += chunk.toString()))
      response.on('end', () => resolve(body))
    })
      .on('error', reject)
      .end()
  })
}

describe.skipIf(skipReason !== null)(`the bubblewrap sandbox ${skipReason ?? ''}`, () => {
  let root: ReturnType<typeof scratchDir>
  let work: string
  let outside: string
  let sandbox: Sandbox

  beforeEach(async () => {
    root = scratchDir('autocoder-sbx-basic-')
    work = join(root.path, 'work')
    outside = join(root.path, 'outside')
    mkdirSync(work)
    mkdirSync(outside)
    sandbox = await openWorkSandbox('basics', work, { env: { GREETING: 'hello' } })
  })

  afterEach(async () => {
    await sandbox.close()
    root[Symbol.dispose]()
  })

  it('writes in the worktree and nowhere outside it', async () => {
    const result = await runWrapped(
      sandbox,
      `echo in > inside.txt; echo out > ${outside}/canary.txt; echo $GREETING`,
      work,
    )
    expect(result.stdout.trim()).toBe('hello')
    expect(result.stderr).toContain('Read-only file system')
    expect(existsSync(join(work, 'inside.txt'))).toBe(true)
    expect(readdirSync(outside)).toEqual([])
  })

  it('keeps a server started in the background by one call for the next, and exposes it', async () => {
    writeFileSync(join(work, 'index.html'), 'served from inside')
    const port = await freePort()
    await runWrapped(
      sandbox,
      `(python3 -m http.server ${port} --bind 127.0.0.1 >/dev/null 2>&1 &)`,
      work,
    )
    const fetched = await runWrapped(
      sandbox,
      `for i in $(seq 50); do curl -sf http://127.0.0.1:${port}/index.html && exit 0; sleep 0.1; done; exit 1`,
      work,
    )
    expect(fetched.stdout).toBe('served from inside')
    const exposed = await sandbox.exposePort(port)
    expect(exposed.ok).toBe(true)
    expect(await httpGet(port)).toBe('served from inside')
  })

  it('runs argv through spawn in the same sandbox', async () => {
    const result = await runSpawned(sandbox, ['/bin/sh', '-c', 'echo $GREETING; pwd'], work)
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`hello\n${work}\n`)
  })
})

describe.skipIf(skipReason !== null)('probeSandbox', () => {
  it('starts a real sandbox and passes every check', async () => {
    const probe = await probeSandbox()
    expect(probe.checks.filter((check) => !check.ok)).toEqual([])
    expect(probe.ok).toBe(true)
    expect(probe.kind).toBe('bubblewrap')
  })
})
