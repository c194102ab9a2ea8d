/**
 * Wall time of real CLI commands, started the way an installed package starts them (node
 * bin/autocoder.js with a built dist/ and no sources), against `node -e 0` in the same rounds:
 * `--help`, `policy check`, `plan --json` on a 10,000-feature file (about 65,000 edges) and
 * `status --json` on a 1,000-feature project. Rounds interleave the commands so that load on the
 * machine falls on all of them alike; each figure is the median of the rounds. Goals: --help and
 * policy check under 250 ms, plan and status under 300 ms. Prints one JSON line. On Linux it also
 * prints each command's CPU time (user + system, all threads, 10 ms steps): on a loaded machine
 * the wall time also counts the time spent waiting for a core, the CPU time much less so.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'

import { ProjectStore } from '../src/store/index.js'
import { randomBoard } from './random-board.js'

const ROUNDS = 11
const root = join(import.meta.dirname, '..')
const work = mkdtempSync(join(tmpdir(), 'autocoder-bench-cli-'))

/** An installed package: package.json, bin/, dist/ (built now) and the repository's node_modules. */
function installedPackage(): string {
  const pkg = join(work, 'autocoder')
  mkdirSync(join(pkg, 'bin'), { recursive: true })
  copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'))
  copyFileSync(join(root, 'bin', 'autocoder.js'), join(pkg, 'bin', 'autocoder.js'))
  symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'))
  symlinkSync(join(root, 'prompts'), join(pkg, 'prompts'))
  const build = `.build-bench-${process.pid}`
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), build], {
    encoding: 'utf8',
  })
  if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`)
  cpSync(join(root, build), join(pkg, 'dist'), { recursive: true })
  rmSync(join(root, build), { recursive: true, force: true })
  return join(pkg, 'bin', 'autocoder.js')
}

function planFile(): string {
  const file = join(work, 'features.json')
  const features = randomBoard(10_000, 42).map((feature) => ({
    id: feature.id,
    priority: feature.priority,
    category: feature.category,
    name: `feature ${feature.id}`,
    passes: feature.passes,
    in_progress: feature.inProgress,
    dependencies: feature.dependencies,
  }))
  writeFileSync(file, JSON.stringify({ features }))
  return file
}

function statusProject(): string {
  const dir = join(work, 'project')
  mkdirSync(dir)
  const store = ProjectStore.open(dir)
  if (!store.ok) throw new Error(store.error.message)
  const drafts = Array.from({ length: 1_000 }, (_, i) => ({
    category: i % 3 === 0 ? 'style' : 'functional',
    name: `Feature ${i + 1}`,
    description: `What feature ${i + 1} does, in a sentence or two.`,
    steps: ['open the page', 'do the thing', 'see the result'],
    dependencies: i < 5 ? [] : [...new Set([1 + (i % 5), 1 + Math.floor(i / 2)])],
  }))
  const created = store.value.features.create(drafts, { by: 'bench' })
  store.value.close()
  if (!created.ok) throw new Error(created.error.message)
  return dir
}

/**
 * CPU time of this process's finished children in ms (Linux: cutime + cstime of /proc/self/stat,
 * in clock ticks of 10 ms), or null elsewhere. spawnSync waits for its child, so the difference
 * around one call is that child's CPU time.
 */
function childrenCpuMs(): number | null {
  if (!existsSync('/proc/self/stat')) return null
  const stat = readFileSync('/proc/self/stat', 'utf8')
  // Fields after the command name (which may hold spaces) start at the state, field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[13]) + Number(fields[14])) * 10
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return Number(sorted[Math.floor(sorted.length / 2)]!.toFixed(1))
}

try {
  const bin = installedPackage()
  const home = join(work, 'home')
  const empty = join(work, 'empty')
  mkdirSync(home)
  mkdirSync(empty)
  const cases: Record<string, { args: string[]; goalMs?: number; exit?: number }> = {
    node: { args: ['-e', '0'] },
    help: { args: [bin, '--help'], goalMs: 250 },
    policyCheck: {
      args: [bin, 'policy', 'check', '--json', '--', 'npm test && git status'],
      goalMs: 250,
    },
    plan: { args: [bin, 'plan', '--json', '--features', planFile()], goalMs: 300 },
    status: { args: [bin, 'status', '--json', '--project', statusProject()], goalMs: 300 },
  }
  const times = new Map<string, number[]>(Object.keys(cases).map((name) => [name, []]))
  const cpuTimes = new Map<string, number[]>(Object.keys(cases).map((name) => [name, []]))
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, { args }] of Object.entries(cases)) {
      const cpuStart = childrenCpuMs()
      const start = performance.now()
      const result = spawnSync(process.execPath, args, {
        cwd: empty,
        env: { ...process.env, AUTOCODER_HOME: home },
        stdio: ['ignore', 'ignore', 'pipe'],
      })
      const elapsed = performance.now() - start
      if (result.status !== 0)
        throw new Error(`${name} exited ${result.status}: ${result.stderr.toString()}`)
      times.get(name)!.push(elapsed)
      const cpuEnd = childrenCpuMs()
      if (cpuStart !== null && cpuEnd !== null) cpuTimes.get(name)!.push(cpuEnd - cpuStart)
    }
  }
  const cpuMs = (name: string): number | null =>
    cpuTimes.get(name)!.length > 0 ? median(cpuTimes.get(name)!) : null
  const nodeMs = median(times.get('node')!)
  const commands = Object.fromEntries(
    Object.entries(cases)
      .filter(([name]) => name !== 'node')
      .map(([name, { goalMs }]) => {
        const ms = median(times.get(name)!)
        const ratio = Number((ms / nodeMs).toFixed(2))
        return [name, { ms, ratio, cpuMs: cpuMs(name), goalMs, met: ms < goalMs! }]
      }),
  )
  console.log(
    JSON.stringify({
      bench: 'cli-start',
      rounds: ROUNDS,
      load: Number(loadavg()[0]!.toFixed(1)),
      nodeMs,
      nodeCpuMs: cpuMs('node'),
      ...commands,
      met: Object.values(commands).every((command) => command.met),
    }),
  )
} finally {
  rmSync(work, { recursive: true, force: true })
}
