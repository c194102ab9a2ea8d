import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import type { Clock } from '../../../src/core/index.js'
import { runCommand } from '../../../src/workspace/index.js'
import { tempDir } from '../../helpers/tmp.js'

/** A clock whose sleeps end only when the test says so: timeouts fire on demand. */
function manualClock(): Clock & { fire(): void } {
  const waiting: Array<() => void> = []
  return {
    now: () => 0,
    sleep: (_ms, signal) =>
      new Promise<void>((resolve, reject) => {
        waiting.push(resolve)
        signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true })
      }),
    fire: () => waiting.splice(0).forEach((resolve) => resolve()),
  }
}

/** Waits until the file exists with content (the writer may be between open and write). */
async function waitFor(path: string): Promise<void> {
  const written = (): boolean => existsSync(path) && readFileSync(path, 'utf8') !== ''
  for (let attempt = 0; attempt < 200 && !written(); attempt++)
    await new Promise((resolve) => setTimeout(resolve, 25))
}

/** Alive and not a zombie (a killed orphan may wait for a reaper that never comes in a container). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : ''
  return !/^\d+ \(.*\) Z/.test(stat)
}

describe('runCommand (the default check runner)', () => {
  let dir: ReturnType<typeof tempDir>
  beforeEach(() => {
    dir = tempDir('autocoder-run-')
  })
  afterEach(() => dir[Symbol.dispose]())

  it('returns the exit code and the interleaved output of an argv, run without a shell', async () => {
    const result = await runCommand(
      [process.execPath, '-e', "console.log('out'); console.error('err'); process.exit(4)"],
      dir.path,
      10_000,
    )
    expect(result.exitCode).toBe(4)
    expect(result.output).toContain('out\n')
    expect(result.output).toContain('err\n')
  })

  it('passes shell characters in an argv through literally', async () => {
    const result = await runCommand(
      [process.execPath, '-e', 'console.log(process.argv[1])', '$(id) && `x`'],
      dir.path,
      10_000,
    )
    expect(result).toMatchObject({ exitCode: 0, output: '$(id) && `x`\n' })
  })

  it('truncates long output to its head and tail', async () => {
    const result = await runCommand(
      [process.execPath, '-e', "process.stdout.write('A'.repeat(50000) + 'END')"],
      dir.path,
      10_000,
      undefined,
      { headBytes: 10, tailBytes: 10 },
    )
    expect(result.output).toBe('AAAAAAAAAA\n… [49983 bytes of output omitted] …\nAAAAAAAEND')
  })

  it('kills the whole process group when the timeout fires, and says so', async () => {
    const clock = manualClock()
    const pidFile = join(dir.path, 'grandchild.pid')
    const script = `const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(c.pid)); setInterval(() => {}, 1000)`
    const running = runCommand([process.execPath, '-e', script], dir.path, 5_000, undefined, {
      clock,
    })
    await waitFor(pidFile)
    clock.fire()
    const result = await running
    expect(result).toMatchObject({ exitCode: null, timedOut: true })
    expect(result.output).toContain('longer than 5000 ms')
    const grandchild = Number(readFileSync(pidFile, 'utf8'))
    expect(grandchild).toBeGreaterThan(0)
    for (let attempt = 0; attempt < 200 && isAlive(grandchild); attempt++)
      await new Promise((resolve) => setTimeout(resolve, 25))
    expect(isAlive(grandchild)).toBe(false)
  })

  it('stops the command when the signal aborts', async () => {
    const controller = new AbortController()
    const running = runCommand(
      [process.execPath, '-e', 'setInterval(() => {}, 1000)'],
      dir.path,
      60_000,
      controller.signal,
    )
    controller.abort()
    expect(await running).toMatchObject({
      exitCode: null,
      output: '[killed: the check was aborted]',
    })
  })

  it('reports a command that cannot start instead of throwing', async () => {
    const result = await runCommand(['definitely-not-a-command-xyz'], dir.path, 10_000)
    expect(result.exitCode).toBeNull()
    expect(result.output).toContain('Could not start definitely-not-a-command-xyz')
  })

  it('refuses a command line with shell syntax', async () => {
    const result = await runCommand('npm test && rm -rf /', dir.path, 10_000)
    expect(result.exitCode).toBeNull()
    expect(result.output).toContain('shell syntax')
  })
})
