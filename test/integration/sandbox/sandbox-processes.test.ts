/**
 * Processes: nothing inside can see or signal a host process (a sleeper stands in for the
 * orchestrator, the test runner for the autocoder server), and close() ends everything inside.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Sandbox } from '../../../src/sandbox/index.js'
import { attack, makeCanaries, openFor, sleeperAlive, WAYS } from './fixture.js'
import type { Canaries } from './fixture.js'
import { hostPids, runWrapped, skipReason, until } from './helpers.js'

/** Shell text that makes `marker` without writing it (command lines then do not match it). */
function hidden(marker: string): string {
  const cut = Math.floor(marker.length / 2)
  return `"$(printf %s%s '${marker.slice(0, cut)}' '${marker.slice(cut)}')"`
}

describe.skipIf(skipReason !== null)('the sandbox processes', () => {
  let canaries: Canaries
  let sandbox: Sandbox

  beforeAll(async () => {
    canaries = await makeCanaries('proc')
    sandbox = await openFor(canaries)
  })
  afterAll(async () => {
    await sandbox.close()
    await canaries.dispose()
  })

  const kills = (c: Canaries): Record<string, string> => {
    const pid = String(c.sleeper.pid)
    return {
      'kill by pid': `kill -9 ${pid} ${process.pid} ${process.ppid}; kill -9 1$(true)`,
      'pkill and killall': `pkill -9 sleep; pkill -9 -f 'node'; pkill --inverse -9 vite; killall -9 sleep node`,
      'kill -1': 'kill -9 -1',
      'ptrace and /proc': `python3 -c "import ctypes; print(ctypes.CDLL(None).ptrace(16, ${pid}, 0, 0))"; cat /proc/${pid}/environ /proc/${pid}/cmdline`,
      'nsenter and signals to the pod init': `nsenter -t 1 -a true; kill -9 1; kill -STOP 1`,
    }
  }

  for (const way of WAYS) {
    for (const name of Object.keys(kills({ sleeper: {} } as Canaries))) {
      it(`keeps host processes alive against ${name} through ${way}`, async () => {
        await attack(sandbox, canaries, way, kills(canaries)[name] ?? '')
        expect(sleeperAlive(canaries)).toBe(true)
      })
    }
  }

  it('outlives kill -9 -1 inside: calls still run and the network relay comes back', async () => {
    await runWrapped(sandbox, 'kill -9 -1; pkill -9 socat; kill -9 1', canaries.project)
    const port = canaries.allowedServer.port
    const result = await runWrapped(
      sandbox,
      `for i in $(seq 50); do curl -sf --noproxy '' -x http://127.0.0.1:3128 http://127.0.0.1:${port}/ && exit 0; sleep 0.1; done; exit 1`,
      canaries.project,
    )
    expect(result.stdout).toBe('allowed-server-ok')
  })

  it('shows only its own processes', async () => {
    const result = await runWrapped(
      sandbox,
      'ps -e -o pid=,comm= ; ls -d /proc/[0-9]* | wc -l',
      canaries.project,
    )
    expect(result.stdout).not.toMatch(/\bnode\b|vitest/)
    expect(result.stdout).not.toContain(` ${String(canaries.sleeper.pid)} `)
    expect(Number(result.stdout.trim().split('\n').at(-1))).toBeLessThan(20)
  })
})

describe.skipIf(skipReason !== null)('closing the sandbox', () => {
  let canaries: Canaries

  beforeAll(async () => {
    canaries = await makeCanaries('close')
  })
  afterAll(async () => {
    await canaries.dispose()
  })

  it('ends every process inside, background ones included, and stays closed', async () => {
    const sandbox = await openFor(canaries)
    const marker = `sbx-close-${randomBytes(4).toString('hex')}`
    await runWrapped(
      sandbox,
      `(exec -a ${hidden(`${marker}-bg`)} sleep 600 >/dev/null 2>&1 &)`,
      canaries.project,
    )
    const spawned = sandbox.spawn(
      ['/bin/bash', '-c', `exec -a ${hidden(`${marker}-spawn`)} sleep 600`],
      {
        cwd: canaries.project,
      },
    )
    const spawnedClosed = new Promise((resolve) => spawned.on('close', resolve))
    await until(() => hostPids(marker).length === 2)
    await sandbox.close()
    await sandbox.close()
    await spawnedClosed
    expect(hostPids(marker)).toEqual([])
    expect(sleeperAlive(canaries)).toBe(true)
    const after = await runWrapped(sandbox, 'echo should-not-run', canaries.project)
    expect(after.stdout).toBe('')
    expect(after.stderr).toContain('the sandbox is closed')
    expect(() => sandbox.spawn(['true'], { cwd: canaries.project })).toThrow(/SANDBOX_CLOSED/)
    expect((await sandbox.exposePort(3000)).ok).toBe(false)
  })

  it('ends a spawned tree when its process is killed, leaving the rest running', async () => {
    const sandbox = await openFor(canaries)
    try {
      const marker = `sbx-tree-${randomBytes(4).toString('hex')}`
      await runWrapped(
        sandbox,
        `(exec -a ${hidden(`${marker}-keep`)} sleep 600 >/dev/null 2>&1 &)`,
        canaries.project,
      )
      const child = sandbox.spawn(
        [
          '/bin/bash',
          '-c',
          `(exec -a ${hidden(`${marker}-grandchild`)} sleep 600 >/dev/null 2>&1 &); exec -a ${hidden(`${marker}-child`)} sleep 600`,
        ],
        { cwd: canaries.project, detached: true },
      )
      const closed = new Promise((resolve) => child.on('close', resolve))
      await until(() => hostPids(marker).length === 3)
      process.kill(-(child.pid ?? 0), 'SIGTERM')
      await closed
      await until(() => hostPids(marker).length === 1)
      expect(hostPids(`${marker}-keep`)).toHaveLength(1)
    } finally {
      await sandbox.close()
    }
  })

  it('refuses every call once the pod was killed from outside (its pid may be reused)', async () => {
    const sandbox = await openFor(canaries)
    try {
      const enter = /'([^']+\/enter)'/.exec(sandbox.wrapShellCommand('true', canaries.project))?.[1]
      const pid = Number(
        /-ef \/proc\/\d+\/fd/.test(readFileSync(enter ?? '', 'utf8')) &&
          /\[ \/proc\/(\d+)\/ns\/mnt/.exec(readFileSync(enter ?? '', 'utf8'))?.[1],
      )
      expect(pid).toBeGreaterThan(1)
      process.kill(pid, 'SIGKILL')
      await until(() => !existsSync(enter ?? ''))
      const after = await runWrapped(sandbox, 'echo ran', canaries.project)
      expect(after.stdout).toBe('')
      expect(after.stderr).toContain('not running any more')
      expect(() => sandbox.spawn(['true'], { cwd: canaries.project })).toThrow(/not running/)
    } finally {
      await sandbox.close()
    }
  })

  it('keeps two sandboxes apart', async () => {
    const [first, second] = await Promise.all([openFor(canaries), openFor(canaries)])
    try {
      const marker = `sbx-apart-${randomBytes(4).toString('hex')}`
      await runWrapped(
        first,
        `(exec -a ${hidden(marker)} sleep 600 >/dev/null 2>&1 &)`,
        canaries.project,
      )
      await until(() => hostPids(marker).length === 1)
      const seen = await runWrapped(
        second,
        `pgrep -f ${hidden(marker)} || echo none; pkill -f ${hidden(marker)}`,
        canaries.project,
      )
      expect(seen.stdout).toContain('none')
      expect(hostPids(marker)).toHaveLength(1)
    } finally {
      await Promise.all([first.close(), second.close()])
    }
  })
})
