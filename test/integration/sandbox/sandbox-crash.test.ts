/**
 * A process that dies with sandboxes open leaves nothing behind: killed by SIGKILL, its pods,
 * their processes and port relays end with it and the next sandbox removes its private folder;
 * exiting without close() (process.exit) ends them and removes the folder at once.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  freePort,
  hostPids,
  openWorkSandbox,
  runWrapped,
  scratchDir,
  skipReason,
  until,
} from './helpers.js'

interface Child {
  pid: number
  root: string[]
  marker: string
  closed: Promise<void>
}

/** Starts crash-child.ts and waits for its line: a sandbox with four processes running in it. */
async function startChild(work: string, mode: 'wait' | 'exit'): Promise<Child> {
  const repo = join(import.meta.dirname, '..', '..', '..')
  const loader = pathToFileURL(join(repo, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
  const marker = `sbx-crash-${randomBytes(4).toString('hex')}`
  const child = spawn(
    process.execPath,
    [
      '--import',
      loader,
      join(import.meta.dirname, 'crash-child.ts'),
      work,
      String(await freePort()),
      mode,
    ],
    {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', MARKER: marker },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()))
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0] ?? '')
    })
    void closed.then(() => reject(new Error(`the child ended: ${stderr}`)))
  })
  const seen = JSON.parse(line) as { pid: number; root: string[] }
  return { ...seen, marker, closed }
}

describe.skipIf(skipReason !== null)('a process that dies with a sandbox open', () => {
  let scratch: ReturnType<typeof scratchDir>
  let work: string

  beforeAll(() => {
    scratch = scratchDir('autocoder-sbx-crash-')
    work = join(scratch.path, 'work')
    mkdirSync(work)
  })
  afterAll(() => scratch[Symbol.dispose]())

  it('killed by SIGKILL: its pod and relays end, and the next sandbox removes its folder', async () => {
    const child = await startChild(work, 'wait')
    expect(child.root).toHaveLength(1)
    const root = child.root[0] ?? ''
    expect(hostPids(child.marker)).toHaveLength(4)
    expect(hostPids(root).length).toBeGreaterThan(0)
    process.kill(child.pid, 'SIGKILL')
    await child.closed
    await until(() => hostPids(child.marker).length === 0 && hostPids(root).length === 0)
    expect(existsSync(root)).toBe(true)
    const next = await openWorkSandbox('after-crash', work)
    try {
      expect(existsSync(root)).toBe(false)
      expect((await runWrapped(next, 'echo still-works', work)).stdout).toBe('still-works\n')
    } finally {
      await next.close()
    }
  })

  it('exiting without close(): everything inside ends and its folder is removed', async () => {
    const child = await startChild(work, 'exit')
    await child.closed
    expect(child.root).toHaveLength(1)
    expect(existsSync(child.root[0] ?? '')).toBe(false)
    await until(
      () => hostPids(child.marker).length === 0 && hostPids(child.root[0] ?? '').length === 0,
    )
  })
})
