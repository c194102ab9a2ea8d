/**
 * Servers inside, the way dev servers and the browser use them: a port exposed before its server
 * starts and kept across restarts, a server started by spawn reached from Bash calls (the same
 * network) and from the host, a large body through the relay, and the host port free again after
 * close().
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import type { Sandbox } from '../../../src/sandbox/index.js'
import { freePort, openWorkSandbox, runWrapped, scratchDir, skipReason } from './helpers.js'

/** GET / on the host's loopback: the body, or the error code. */
function httpGet(port: number, path = '/'): Promise<string> {
  return new Promise((resolve) => {
    request({ host: '127.0.0.1', port, path }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve(Buffer.concat(chunks).toString()))
    })
      .on('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code ?? ''}`))
      .end()
  })
}

async function untilServed(port: number, path: string, body: string): Promise<string> {
  const deadline = Date.now() + 20_000
  let last = ''
  while (Date.now() < deadline) {
    last = await httpGet(port, path)
    if (last === body) return last
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return last
}

/** Shell text that starts a static server in the background, its pid in `<name>.pid`. */
function serve(port: number, name: string): string {
  return `python3 -m http.server ${port} --bind 127.0.0.1 >/dev/null 2>&1 & echo $! > ${name}.pid`
}

describe.skipIf(skipReason !== null)('ports of a sandbox', () => {
  let root: ReturnType<typeof scratchDir>
  let work: string
  let sandbox: Sandbox

  beforeEach(async () => {
    root = scratchDir('autocoder-sbx-ports-')
    work = join(root.path, 'work')
    mkdirSync(work)
    writeFileSync(join(work, 'index.html'), 'served from inside')
    sandbox = await openWorkSandbox('ports', work)
  })

  afterEach(async () => {
    await sandbox.close()
    root[Symbol.dispose]()
  })

  it('exposes a port before its server starts, and keeps it across a restart', async () => {
    const port = await freePort()
    expect((await sandbox.exposePort(port)).ok).toBe(true)
    expect(await httpGet(port, '/index.html')).not.toBe('served from inside')
    await runWrapped(sandbox, serve(port, 'sbx-dev-1'), work)
    expect(await untilServed(port, '/index.html', 'served from inside')).toBe('served from inside')
    await runWrapped(
      sandbox,
      'pkill -f sbx-dev-1; while pgrep -f sbx-dev-1; do sleep 0.1; done',
      work,
    )
    writeFileSync(join(work, 'index.html'), 'after the restart')
    await runWrapped(sandbox, serve(port, 'sbx-dev-2'), work)
    expect(await untilServed(port, '/index.html', 'after the restart')).toBe('after the restart')
    expect((await sandbox.exposePort(port)).ok).toBe(true)
  })

  it('reaches a server started by spawn from Bash calls and from the host', async () => {
    const port = await freePort()
    const server = sandbox.spawn(
      ['python3', '-m', 'http.server', String(port), '--bind', '127.0.0.1'],
      { cwd: work, stdio: 'ignore' },
    )
    const fetched = await runWrapped(
      sandbox,
      `for i in $(seq 100); do curl -sf http://127.0.0.1:${port}/index.html && exit 0; sleep 0.1; done; exit 1`,
      work,
    )
    expect(fetched.stdout).toBe('served from inside')
    expect((await sandbox.exposePort(port)).ok).toBe(true)
    expect(await httpGet(port, '/index.html')).toBe('served from inside')
    server.kill('SIGTERM')
  })

  it('carries a large body through the relay intact', async () => {
    const body = Array.from({ length: 200_000 }, (_, i) => `${i}\n`).join('')
    writeFileSync(join(work, 'big.txt'), body)
    const port = await freePort()
    await runWrapped(sandbox, serve(port, 'sbx-big'), work)
    expect((await sandbox.exposePort(port)).ok).toBe(true)
    const got = await untilServed(port, '/big.txt', body)
    expect(got.length).toBe(body.length)
    expect(got === body).toBe(true)
  })

  it('gives the host port back at close()', async () => {
    const port = await freePort()
    await runWrapped(sandbox, serve(port, 'sbx-close'), work)
    expect((await sandbox.exposePort(port)).ok).toBe(true)
    expect(await untilServed(port, '/index.html', 'served from inside')).toBe('served from inside')
    await sandbox.close()
    expect(await httpGet(port, '/index.html')).toMatch(/^error /)
    const host = createServer()
    await new Promise<void>((resolve, reject) => {
      host.once('error', reject)
      host.listen(port, '127.0.0.1', resolve)
    })
    await new Promise<void>((resolve) => host.close(() => resolve()))
  })
})
