// `autocoder ui` as a process (listen, print, shut down on SIGTERM) and a clean shutdown during a run.
import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { unwrap } from '../../../src/core/index.js'
import { ProjectStore } from '../../../src/store/index.js'
import { cliArgv, repoRoot, runCli } from '../../helpers/cli.js'
import { browserCookie } from '../../helpers/server-auth.js'
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
  it('listens on loopback, prints the start address, lets only its cookie in, and stops on SIGTERM', async () => {
    using dir = tempDir()
    const ui = startUi(['--port', '0'], dir.path)
    const [, url] = await ui.line(/autocoder ui: (http:\/\/127\.0\.0\.1:\d+)\n/)
    const [, token] = await ui.line(/open: http:\/\/127\.0\.0\.1:\d+\/\?token=([A-Za-z0-9_-]+)\n/)
    const tokenFile = join(dir.path, '.autocoder', 'server-token')
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(token)
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir.path, '.autocoder')).mode & 0o777).toBe(0o700)
    expect((await fetch(`${url}/api/health`)).status).toBe(401)
    expect((await fetch(`${url}/`)).status).toBe(401)
    const cookie = await browserCookie(url!, token!)
    // The built UI when ui/dist exists, else the status page: both are titled autocoder.
    const page = await fetch(`${url}/`, { headers: { cookie } })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<title>autocoder</title>')
    expect(await (await fetch(`${url}/api/health`, { headers: { cookie } })).json()).toMatchObject({
      status: 'ok',
    })
    const done = exited(ui.child)
    ui.child.kill('SIGTERM')
    expect(await done).toBe(0)
    expect(ui.output()).toContain('autocoder ui: stopped')
    expect(ui.output().split(token!).length).toBe(2) // printed once, in the start address
  })

  it('requires the same token when bound beyond loopback', async () => {
    using dir = tempDir()
    const ui = startUi(['--port', '0', '--host', '0.0.0.0'], dir.path)
    const [, port, token] = await ui.line(/open: http:\/\/localhost:(\d+)\/\?token=(\S+)\n/)
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

  it('--print-url prints the start address with the kept token and exits', () => {
    using dir = tempDir()
    const env = { HOME: dir.path, AUTOCODER_HOME: join(dir.path, 'ac-home') }
    const first = runCli(['ui', '--print-url', '--port', '9123'], { env })
    expect(first.status).toBe(0)
    const token = readFileSync(join(dir.path, 'ac-home', 'server-token'), 'utf8').trim()
    expect(first.stdout).toBe(`http://127.0.0.1:9123/?token=${token}\n`)
    const again = runCli(['ui', '--print-url', '--port', '9123'], { env })
    expect(again.stdout).toBe(first.stdout)
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
