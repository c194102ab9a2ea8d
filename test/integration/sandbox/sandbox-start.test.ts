/**
 * Starting a sandbox while git replaces a file it binds read-only: git writes `.git/config` by
 * renaming a new file over it (`git config`, `git branch -d`), and bubblewrap binding the old file
 * in that instant fails. The launcher starts it again; other failures it reports at once.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { openSandbox } from '../../../src/sandbox/index.js'
import type { SandboxSpec } from '../../../src/sandbox/index.js'
import { DEFAULT_TOOL_PATH, findProgram } from '../../../src/sandbox/find-tools.js'
import { runWrapped, scratchDir, skipReason } from './helpers.js'

const replaced = (path: string): string =>
  `bwrap: Can't bind mount /oldroot${path} on /newroot${path}: Unable to mount source on destination: No such file or directory`

describe.skipIf(skipReason !== null)('starting a sandbox', () => {
  let root: ReturnType<typeof scratchDir>
  let work: string
  let config: string
  let spec: SandboxSpec
  beforeEach(() => {
    root = scratchDir('autocoder-sbx-start-')
    work = join(root.path, 'work')
    mkdirSync(work)
    config = join(work, 'config')
    writeFileSync(config, '[core]\n')
    spec = {
      label: 'start',
      writable: [work],
      readOnly: [config],
      hidden: [],
      allowedHosts: [],
      env: {},
    }
  })
  afterEach(() => root[Symbol.dispose]())

  /**
   * A search path whose bwrap fails its first `fails` starts with `message` (as bubblewrap says
   * it), then runs the real one; it counts its starts in `<root>/starts`.
   */
  function flakyBwrap(
    fails: number,
    message: string,
  ): { searchPath: string; starts: () => number } {
    const real = findProgram('bwrap', `${DEFAULT_TOOL_PATH}:${process.env['PATH'] ?? ''}`)!
    const bin = join(root.path, 'bin')
    const starts = join(root.path, 'starts')
    mkdirSync(bin)
    writeFileSync(starts, '')
    writeFileSync(
      join(bin, 'bwrap'),
      [
        '#!/bin/sh',
        `echo start >> '${starts}'`,
        `if [ "$(wc -l < '${starts}')" -le ${fails} ]; then echo "${message}" >&2; exit 1; fi`,
        `exec '${real}' "$@"`,
        '',
      ].join('\n'),
      { mode: 0o755 },
    )
    return {
      searchPath: `${bin}:${DEFAULT_TOOL_PATH}:${process.env['PATH'] ?? ''}`,
      starts: () => readFileSync(starts, 'utf8').split('\n').filter(Boolean).length,
    }
  }

  it('starts again when a file it binds was replaced while bubblewrap bound it', async () => {
    const bwrap = flakyBwrap(2, replaced(config))
    const opened = await openSandbox(spec, { searchPath: bwrap.searchPath })
    if (!opened.ok) throw new Error(opened.error.message)
    try {
      expect(bwrap.starts()).toBe(3)
      const run = await runWrapped(opened.value, `cat ${config}; echo x >> ${config}`, work)
      expect(run.stdout).toBe('[core]\n')
      expect(run.stderr).toContain('Read-only file system')
    } finally {
      await opened.value.close()
    }
  })

  it('gives up after five starts with what bubblewrap said, and at once on other failures', async () => {
    const always = flakyBwrap(10, replaced(config))
    const opened = await openSandbox(spec, { searchPath: always.searchPath })
    expect(opened.ok ? 'opened' : opened.error.message).toBe(
      `The sandbox start did not start: ${replaced(config)}. Run \`autocoder doctor\` to test the sandbox.`,
    )
    expect(always.starts()).toBe(5)
  })

  it('reports a missing source path after one start', async () => {
    const missing = `bwrap: Can't find source path ${config}: No such file or directory`
    const bwrap = flakyBwrap(10, missing)
    const opened = await openSandbox(spec, { searchPath: bwrap.searchPath })
    expect(opened.ok ? 'opened' : opened.error.message).toContain(missing)
    expect(bwrap.starts()).toBe(1)
  })

  it('starts every time while git-style renames replace a file it binds read-only', async () => {
    // The same race for real: a loop renames a new copy over the file as fast as it can.
    const loop = spawn(
      '/bin/sh',
      ['-c', `while :; do cp '${config}' '${config}.new' && mv '${config}.new' '${config}'; done`],
      { stdio: 'ignore', detached: true },
    )
    try {
      for (let i = 0; i < 40; i++) {
        const opened = await openSandbox(spec)
        if (!opened.ok) throw new Error(`start ${i + 1}: ${opened.error.message}`)
        await opened.value.close()
      }
    } finally {
      // The whole group: a cp or mv it started must not write into the folder being removed.
      process.kill(-loop.pid!, 'SIGKILL')
      await new Promise((resolve) => loop.once('close', resolve))
    }
  }, 60_000)
})
