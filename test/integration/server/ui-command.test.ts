// `autocoder ui` as a process (listen, print, shut down on SIGTERM) and a clean shutdown during a run.
import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { unwrap } from '../../../src/core/index.js'
import { ProjectStore } from '../../../src/store/index.js'
import { cliArgv, repoRoot } from '../../helpers/cli.js'
import { tempDir } from '../../helpers/tmp.js'
import { simParts, startHarness } from './app-harness.js'

function startUi(
  args: string[],
  home: string,
): {
  child: ChildProcessWithoutNullStreams
  output: () => string
  line: (pattern: RegExp) => Promise<RegExpMatchArray>
} {
  const [cmd, ...rest] = cliArgv('ui', ...args)
  const child = spawn(cmd!, rest, {
    cwd: repoRoot,
    env: {
      ...process.env,
      HOME: home,
      AUTOCODER_HOME: join(home, '.autocoder'),
      AUTOCODER_TOKEN: '',
    },
  })
  let stdout = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  const line = (pattern: RegExp): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no line matching ${String(pattern)} in: ${stdout}`)),
        30_000,
      )
      const check = (): void => {
        const match = pattern.exec(stdout)
        if (!match) return
        clearTimeout(timer)
        child.stdout.off('data', check)
        resolve(match)
      }
      child.stdout.on('data', check)
      check()
    })
  return { child, output: () => stdout, line }
}

const exited = (child: ChildProcessWithoutNullStreams): Promise<number | null> =>
  new Promise((resolve) => child.once('close', (code) => resolve(code)))

describe('autocoder ui', () => {
  it('listens on loopback, serves the status page and the API, and stops on SIGTERM', async () => {
    using dir = tempDir()
    const ui = startUi(['--port', '0'], dir.path)
    const [, url] = await ui.line(/autocoder ui: (http:\/\/127\.0\.0\.1:\d+)/)
    expect(ui.output()).not.toContain('token:')
    expect(await (await fetch(`${url}/`)).text()).toContain('/api/openapi.json')
    expect(await (await fetch(`${url}/api/health`)).json()).toMatchObject({ status: 'ok' })
    const done = exited(ui.child)
    ui.child.kill('SIGTERM')
    expect(await done).toBe(0)
    expect(ui.output()).toContain('autocoder ui: stopped')
  })

  it('prints a token when bound beyond loopback and refuses requests without it', async () => {
    using dir = tempDir()
    const ui = startUi(['--port', '0', '--host', '0.0.0.0'], dir.path)
    const [, port] = await ui.line(/autocoder ui: http:\/\/localhost:(\d+)/)
    const [, token] = await ui.line(/token: (\S+)/)
    const base = `http://127.0.0.1:${port}`
    const refused = await fetch(`${base}/api/projects`)
    expect(refused.status).toBe(401)
    const allowed = await fetch(`${base}/api/projects`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(allowed.status).toBe(200)
    const done = exited(ui.child)
    ui.child.kill('SIGINT')
    expect(await done).toBe(0)
  })

  it('closing the server during a run stops it and releases its claims and the project lock', async () => {
    const h = await startHarness({ runParts: simParts({ durationMs: 60_000 }) })
    try {
      const path = join(h.root, 'app')
      mkdirSync(path)
      await h.request('POST', '/api/projects/import', { name: 'app', path })
      await h.request('POST', '/api/projects/app/features/bulk', {
        features: [
          { category: 'a', name: 'one' },
          { category: 'a', name: 'two' },
        ],
      })
      await h.request('POST', '/api/projects/app/run/start', { concurrency: 2 })
      const opened = h.app.services.hub.open('app')
      if (!opened.ok) throw new Error(opened.error.message)
      const { store } = opened.value
      for (let i = 0; i < 100 && store.claims.list().length < 2; i++)
        await new Promise((resolve) => setTimeout(resolve, 50))
      expect(store.claims.list()).toHaveLength(2)
      await h.app.close()
      const after = unwrap(ProjectStore.open(path))
      try {
        expect(after.claims.list()).toEqual([])
        expect(after.locks.current()).toBeUndefined()
        expect(after.features.list().map((feature) => feature.state)).toEqual([
          'pending',
          'pending',
        ])
      } finally {
        after.close()
      }
    } finally {
      await Promise.resolve(h[Symbol.asyncDispose]()).catch(() => undefined)
    }
  })
})
