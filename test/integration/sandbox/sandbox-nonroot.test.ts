/**
 * The sandbox for a user who is not root: bubblewrap then runs inside a user namespace made by
 * `unshare --map-root-user`. Runs the child script as `nobody` and checks what it saw; the
 * folders belong to nobody, so only the sandbox (not file permissions) can stop the writes.
 */
import { spawnSync } from 'node:child_process'
import { chownSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { scratchDir, skipReason } from './helpers.js'

const NOBODY = 65534
const reason =
  skipReason ??
  (process.geteuid?.() !== 0
    ? 'switching to the user nobody needs root'
    : spawnSync('id', ['nobody']).status !== 0
      ? 'there is no user nobody'
      : null)

describe.skipIf(reason !== null)(`the sandbox as an unprivileged user ${reason ?? ''}`, () => {
  let root: ReturnType<typeof scratchDir>
  let seen: Record<string, string>
  let project: string
  let outside: string

  beforeAll(() => {
    root = scratchDir('autocoder-sbx-nonroot-')
    project = join(root.path, 'project')
    outside = join(root.path, 'outside')
    const secretDir = join(root.path, 'secret')
    for (const dir of [project, outside, secretDir]) mkdirSync(dir)
    writeFileSync(join(secretDir, 'key'), 'CANARY-NONROOT-KEY')
    for (const path of [root.path, project, outside, secretDir, join(secretDir, 'key')])
      chownSync(path, NOBODY, NOBODY)
    const repo = join(import.meta.dirname, '..', '..', '..')
    const loader = pathToFileURL(join(repo, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
    const child = spawnSync(
      'setpriv',
      [
        `--reuid=${NOBODY}`,
        `--regid=${NOBODY}`,
        '--clear-groups',
        '--',
        process.execPath,
        '--import',
        loader,
        join(import.meta.dirname, 'nonroot-child.ts'),
        JSON.stringify({ project, outside, secretDir }),
      ],
      {
        encoding: 'utf8',
        timeout: 120_000,
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: '/nonexistent' },
      },
    )
    const line = child.stdout.trim().split('\n').at(-1) ?? ''
    if (!line.startsWith('{')) throw new Error(`child failed: ${child.stdout}${child.stderr}`)
    seen = JSON.parse(line) as Record<string, string>
  }, 150_000)
  afterAll(() => root[Symbol.dispose]())

  it('starts and runs commands as the user, without capabilities', () => {
    expect(seen['error']).toBeUndefined()
    expect(seen['identity']).toMatch(/^0\nCapEff:\s+0+\nNoNewPrivs:\s+1\n$/)
    expect(seen['inside']).toBe('ok\n')
    expect(seen['spawned']).toBe(`${project}\n0\n`)
  })

  it('keeps writes in the worktree even where the user may write', () => {
    expect(readdirSync(outside)).toEqual([])
  })

  it('hides hidden paths, shows only its own processes and no host loopback', () => {
    expect(seen['secret']).not.toContain('CANARY-NONROOT-KEY')
    expect(seen['secret']?.trim().split('\n').at(-1)).toBe('0')
    expect(Number(seen['processes'])).toBeLessThan(15)
    expect(seen['userns']).toContain('userns-refused')
    expect(seen['loopback']).toMatch(/Connection refused/)
  })
})
