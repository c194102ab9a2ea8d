/**
 * What the launcher refuses and how it says so (any text reaching bash as written is in
 * sandbox-wrapping.test.ts).
 */
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { openSandbox, probeSandbox } from '../../../src/sandbox/index.js'
import type { Sandbox, SandboxSpec } from '../../../src/sandbox/index.js'
import { openWorkSandbox, runSpawned, runWrapped, scratchDir, skipReason } from './helpers.js'

describe('openSandbox refusals', () => {
  const spec: SandboxSpec = {
    label: 'errors',
    writable: ['/var/tmp'],
    readOnly: [],
    hidden: [],
    allowedHosts: [],
    env: {},
  }

  it('says what to install when the programs are missing', async () => {
    const opened = await openSandbox(spec, { searchPath: '/nonexistent' })
    expect(opened.ok).toBe(false)
    if (!opened.ok) {
      expect(opened.error.code).toBe('SANDBOX_UNAVAILABLE')
      expect(opened.error.message).toContain('apt-get install bubblewrap socat')
    }
    const probe = await probeSandbox({ searchPath: '/nonexistent' })
    expect(probe).toMatchObject({ ok: false, missing: expect.arrayContaining(['bwrap', 'socat']) })
    expect(probe.fix).toContain('apt-get install bubblewrap socat')
  })

  it.skipIf(skipReason !== null)('refuses system folders as writable', async () => {
    for (const writable of ['/usr/local/lib', '/etc', '/usr']) {
      const opened = await openSandbox({ ...spec, writable: [writable] })
      expect(opened.ok ? 'opened' : opened.error.code).toBe('SANDBOX_BAD_SPEC')
    }
  })

  it('refuses a bad spec before starting anything', async () => {
    const opened = await openSandbox({ ...spec, writable: ['relative/dir'] })
    expect(opened.ok ? 'opened' : opened.error.code).toBe('SANDBOX_BAD_SPEC')
  })
})

describe.skipIf(skipReason !== null)('a running sandbox', () => {
  let root: ReturnType<typeof scratchDir>
  let work: string
  let sandbox: Sandbox

  beforeAll(async () => {
    root = scratchDir('autocoder-sbx-errors-')
    work = join(root.path, 'work')
    mkdirSync(work)
    sandbox = await openWorkSandbox('errors', work, { env: {} })
  })
  afterAll(async () => {
    await sandbox.close()
    root[Symbol.dispose]()
  })

  it('keeps the exit status and a command starting with a dash', async () => {
    expect((await runWrapped(sandbox, 'exit 7', work)).code).toBe(7)
    const dash = await runWrapped(sandbox, '-x', work)
    expect(dash.stderr).toContain('-x: command not found')
    expect((await runSpawned(sandbox, ['/bin/sh', '-c', 'exit 5'], work)).code).toBe(5)
  })

  it('refuses a NUL byte with text that says why, and a directory that is not there', async () => {
    const nul = await runWrapped(sandbox, 'echo a\0b', work)
    expect(nul.code).not.toBe(0)
    expect(nul.stderr).toContain('NUL byte')
    const missing = await runWrapped(sandbox, 'echo hi', join(root.path, 'absent'))
    expect(missing.code).not.toBe(0)
    expect(missing.stdout).toBe('')
    expect(missing.stderr).toContain(`the directory ${join(root.path, 'absent')} does not exist`)
  })

  it('says a port is in use when the host already has it', async () => {
    const holder = createServer()
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
    const address = holder.address()
    const port = typeof address === 'object' && address !== null ? address.port : 0
    try {
      const exposed = await sandbox.exposePort(port)
      expect(exposed.ok).toBe(false)
      if (!exposed.ok) {
        expect(exposed.error.code).toBe('SANDBOX_PORT_FAILED')
        expect(exposed.error.message).toContain('already in use')
      }
      expect((await sandbox.exposePort(0)).ok).toBe(false)
    } finally {
      holder.close()
    }
  })
})
