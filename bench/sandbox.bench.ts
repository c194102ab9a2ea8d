/**
 * The OS sandbox's cost: pod start time, and per Bash call the time of `wrapShellCommand('true')`
 * run the way the Bash tool runs it, against plain `bash -c true`. Calls alternate so that load
 * from other processes hits both alike; the CPU time per call (children's user + system) is
 * reported too, since wall time on a loaded machine mostly measures the wait for a core (the
 * overhead is five more programs started than plain bash: the enter script's bash, nsenter and
 * its fork, setpriv, setsid). Prints one JSON line; goal: under 50 ms overhead per call.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'

import { openSandbox } from '../src/sandbox/index.js'
import type { Sandbox } from '../src/sandbox/index.js'

const STARTS = 5
const CALLS = 60

function run(file: string, args: readonly string[]): Promise<number> {
  const before = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: 'ignore', env: { PATH: '/usr/bin:/bin' } })
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolve(performance.now() - before)
      else reject(new Error(`${file} ${args.join(' ')} exited ${code}`))
    })
  })
}

/** CPU time (user + system, ms) of this process's waited-for children so far, from /proc/self/stat. */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // Fields 16 and 17 of stat (cutime, cstime) are 13 and 14 here, in clock ticks of 10 ms.
  return (Number(fields[13]) + Number(fields[14])) * 10
}

function percentile(times: readonly number[], p: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  return Number(
    (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0).toFixed(1),
  )
}

async function open(work: string): Promise<{ sandbox: Sandbox; startMs: number }> {
  const before = performance.now()
  const opened = await openSandbox({
    label: 'bench',
    writable: [work],
    readOnly: [],
    hidden: [],
    allowedHosts: [],
    env: { PATH: '/usr/bin:/bin' },
  })
  if (!opened.ok) throw new Error(opened.error.message)
  return { sandbox: opened.value, startMs: performance.now() - before }
}

const work = mkdtempSync(join('/var/tmp', 'autocoder-bench-sandbox-'))
try {
  const starts: number[] = []
  for (let i = 0; i < STARTS; i++) {
    const { sandbox, startMs } = await open(work)
    starts.push(startMs)
    await sandbox.close()
  }
  const { sandbox } = await open(work)
  const wrapped: number[] = []
  const plain: number[] = []
  const spawned: number[] = []
  const text = sandbox.wrapShellCommand('true', work)
  for (let i = 0; i < 5; i++) await run('/bin/bash', ['-c', text]) // warm up
  // CPU per call does not grow with other processes' load the way wall time does.
  let before = childrenCpuMs()
  for (let i = 0; i < CALLS; i++) await run('/bin/bash', ['-c', 'true'])
  const plainCpuMs = (childrenCpuMs() - before) / CALLS
  before = childrenCpuMs()
  for (let i = 0; i < CALLS; i++) await run('/bin/bash', ['-c', text])
  const wrappedCpuMs = (childrenCpuMs() - before) / CALLS
  for (let i = 0; i < CALLS; i++) {
    plain.push(await run('/bin/bash', ['-c', 'true']))
    wrapped.push(await run('/bin/bash', ['-c', text]))
    const before = performance.now()
    await new Promise((resolve) => sandbox.spawn(['true'], { cwd: work }).on('close', resolve))
    spawned.push(performance.now() - before)
  }
  await sandbox.close()
  const overhead = (p: number): number =>
    Number((percentile(wrapped, p) - percentile(plain, p)).toFixed(1))
  console.log(
    JSON.stringify({
      bench: 'sandbox',
      kind: sandbox.kind,
      calls: CALLS,
      podStartMedianMs: percentile(starts, 0.5),
      plainBashP50Ms: percentile(plain, 0.5),
      wrappedP50Ms: percentile(wrapped, 0.5),
      wrappedP95Ms: percentile(wrapped, 0.95),
      overheadP50Ms: overhead(0.5),
      overheadP95Ms: overhead(0.95),
      spawnP50Ms: percentile(spawned, 0.5),
      plainCpuMsPerCall: Number(plainCpuMs.toFixed(1)),
      wrappedCpuMsPerCall: Number(wrappedCpuMs.toFixed(1)),
      overheadCpuMsPerCall: Number((wrappedCpuMs - plainCpuMs).toFixed(1)),
      loadAverage1m: Number(loadavg()[0]?.toFixed(1)),
      goalOverheadMs: 50,
    }),
  )
} finally {
  rmSync(work, { recursive: true, force: true })
}
