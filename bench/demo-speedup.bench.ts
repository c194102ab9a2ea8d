/**
 * `autocoder demo` at a real run's pace: 20 features, 2,000 ms per model turn (seeded jitter),
 * run at concurrency 1, 3 and 5 by the real CLI (real claude binary, worktrees, merge queue, npm
 * test). Speed-up = demo time at 1 / demo time at N; goals on two cores: 2.2x at 3, 3x at 5.
 *
 * CPU per agent session, split by who spent it: the claude binary itself and the processes it
 * ran for its tools (sampled from /proc every 100 ms while each claude process lives, so the last
 * <=100 ms of a session are missed), the demo process (orchestrator, scripted model, tool servers,
 * security hook) and the rest it ran (our git, the merge checks). What limits the speed-up: the
 * share of both cores the demo kept busy, the agents at work on average, the time the (serial)
 * merge queue was busy and the time before the first coding agent could start. The machine's load
 * average (1 min) at the start and end of each run is reported with the figures: on a shared
 * machine it moves them.
 *
 *   npm run bench -- demo-speedup            (BENCH_DEMO_FEATURES, BENCH_DEMO_LATENCY_MS,
 *                                             BENCH_DEMO_CONCURRENCY=1,3,5 to change the run)
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'

import { demoTimeline } from './demo-timeline.js'
import type { DemoTimeline } from './demo-timeline.js'

const root = join(import.meta.dirname, '..')
const features = Number(process.env['BENCH_DEMO_FEATURES'] ?? 20)
const latencyMs = Number(process.env['BENCH_DEMO_LATENCY_MS'] ?? 2000)
const levels = (process.env['BENCH_DEMO_CONCURRENCY'] ?? '1,3,5').split(',').map(Number)
const GOALS: Readonly<Record<number, number>> = { 3: 2.2, 5: 3 }
const TICKS = 100 // clock ticks per second of /proc/<pid>/stat times (USER_HZ on Linux)

interface ProcCpu {
  /** The process's own user + system seconds. */
  own: number
  /** Its waited-for children's user + system seconds. */
  children: number
}

/** Field `n` (1-based, as in proc(5)) of a /proc/<pid>/stat line, for fields after the name. */
function statField(stat: string, n: number): number {
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[n - 3])
}

/** utime, stime, cutime, cstime of a process (fields 14-17 of /proc/<pid>/stat), in seconds. */
function readCpu(stat: string): ProcCpu {
  const at = (n: number): number => statField(stat, n) / TICKS
  return { own: at(14) + at(15), children: at(16) + at(17) }
}

/** The pids of a process's children (from each of its threads' `children` list). */
function childrenOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
      .split(' ')
      .filter(Boolean)
      .map(Number),
  )
}

/**
 * Follows the demo process and the `claude` processes it starts by sampling /proc (its children
 * only: cheap, and other users of the machine run claude too); keeps each one's last sample.
 */
function watchClaude(parent: () => number | undefined): {
  stop(): { claude: ProcCpu[]; demo: ProcCpu | undefined }
} {
  const seen = new Map<number, ProcCpu>()
  let demo: ProcCpu | undefined
  const sample = (): void => {
    const pid = parent()
    if (pid === undefined) return
    // A process may end between the listing and the read: skip it (its last sample stays).
    const stat = (of: number): string | undefined => {
      try {
        return readFileSync(`/proc/${of}/stat`, 'utf8')
      } catch {
        return undefined
      }
    }
    const own = stat(pid)
    if (own === undefined) return
    demo = readCpu(own)
    let children: number[] = []
    try {
      children = childrenOf(pid)
    } catch {
      return
    }
    for (const child of children) {
      const line = stat(child)
      if (line?.includes(' (claude) ')) seen.set(child, readCpu(line))
    }
  }
  const timer = setInterval(sample, 100)
  return {
    stop: () => {
      clearInterval(timer)
      return { claude: [...seen.values()], demo }
    },
  }
}

/** CPU seconds of this process's finished children so far (the CLIs run here and all they ran). */
const childrenCpu = (): number => readCpu(readFileSync('/proc/self/stat', 'utf8')).children

interface Run {
  concurrency: number
  seconds: number
  sessions: number
  claudeCpu: number
  toolCpu: number
  totalCpu: number
  /** The demo process itself: orchestrator, scripted model, tool servers, security hook. */
  cliCpu: number
  loadAtStart: number
  loadAtEnd: number
  timeline: DemoTimeline
}

/** The CLI as the package ships it (transpiled), so no run pays for compiling TypeScript. */
function buildCli(): string {
  const name = `.build-bench-demo-${process.pid}`
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), name], {
    encoding: 'utf8',
  })
  if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`)
  return join(root, name)
}

async function runDemo(build: string, concurrency: number): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-demo-'))
  const args = [
    ...[join(build, 'cli', 'main.js'), 'demo'],
    ...['--dir', join(dir, 'project'), '--features', String(features)],
    ...['--model-latency', String(latencyMs), '--concurrency', String(concurrency)],
  ]
  const loadAtStart = loadavg()[0]!
  const cpuBefore = childrenCpu()
  let demoPid: number | undefined
  const claude = watchClaude(() => demoPid)
  try {
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, args, {
        env: { ...process.env, AUTOCODER_HOME: join(dir, 'home') },
      })
      demoPid = child.pid
      let text = ''
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()))
      child.on('close', (code) =>
        code === 0
          ? resolve(text)
          : reject(new Error(`demo exited ${code}:\n${text.slice(-3000)}`)),
      )
    })
    const seconds = Number(/^time: ([\d.]+) s$/m.exec(output)?.[1])
    if (!/^features: (\d+)\/\1 passing$/m.test(output))
      throw new Error(`not all passing:\n${output}`)
    const { claude: sessions, demo } = claude.stop()
    const sum = (pick: (cpu: ProcCpu) => number): number =>
      sessions.reduce((total, cpu) => total + pick(cpu), 0)
    return {
      concurrency,
      seconds,
      sessions: sessions.length,
      claudeCpu: sum((cpu) => cpu.own),
      toolCpu: sum((cpu) => cpu.children),
      totalCpu: childrenCpu() - cpuBefore,
      cliCpu: demo?.own ?? 0,
      loadAtStart,
      loadAtEnd: loadavg()[0]!,
      timeline: demoTimeline(join(dir, 'project')),
    }
  } finally {
    claude.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits
const runs: Run[] = []
const build = buildCli()
try {
  for (const concurrency of levels) {
    process.stderr.write(`demo-speedup: ${features} features, concurrency ${concurrency}...\n`)
    runs.push(await runDemo(build, concurrency))
  }
} finally {
  rmSync(build, { recursive: true, force: true })
}
const serial = runs.find((run) => run.concurrency === 1)
const byLevel = <T>(pick: (run: Run) => T): Record<string, T> =>
  Object.fromEntries(runs.map((run) => [String(run.concurrency), pick(run)]))
const speedup = serial
  ? Object.fromEntries(
      runs
        .filter((run) => run.concurrency !== 1)
        .map((run) => [String(run.concurrency), round(serial.seconds / run.seconds)]),
    )
  : {}
const sessions = runs.reduce((total, run) => total + run.sessions, 0)
const perSession = (pick: (run: Run) => number): number =>
  round(runs.reduce((total, run) => total + pick(run), 0) / sessions)
const cores = availableParallelism()
console.log(
  JSON.stringify({
    bench: 'demo-speedup',
    features,
    latencyMs,
    cores,
    seconds: byLevel((run) => round(run.seconds, 1)),
    speedup,
    goals: GOALS,
    met: Object.fromEntries(
      Object.entries(speedup)
        .filter(([level]) => GOALS[Number(level)] !== undefined)
        .map(([level, value]) => [level, value >= GOALS[Number(level)]!]),
    ),
    sessions: byLevel((run) => run.sessions),
    cpuPerSessionS: {
      claude: perSession((run) => run.claudeCpu),
      claudeTools: perSession((run) => run.toolCpu),
      demoProcess: perSession((run) => run.cliCpu),
      gitAndChecks: perSession((run) => run.totalCpu - run.cliCpu - run.claudeCpu - run.toolCpu),
      total: perSession((run) => run.totalCpu),
    },
    demoCpuS: byLevel((run) => round(run.totalCpu, 1)),
    coresBusy: byLevel((run) => round(run.totalCpu / (run.seconds * cores))),
    agentsAtWork: byLevel((run) => round(run.timeline.agentsAtWork)),
    mergeQueueBusyS: byLevel((run) => round(run.timeline.mergeQueueBusyS, 1)),
    beforeCodingS: byLevel((run) => round(run.timeline.beforeCodingS, 1)),
    load1AtStart: byLevel((run) => round(run.loadAtStart, 1)),
    load1AtEnd: byLevel((run) => round(run.loadAtEnd, 1)),
  }),
)
