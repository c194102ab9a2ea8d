/**
 * Bash policy decisions for a mix of 1,000 realistic commands (80% the ordinary commands of the
 * corpus, 20% adversarial ones), with the on-disk path resolver an agent session uses. Prints one
 * JSON line: decisions per second and median/p90/p99 decision time. Goal: median under 0.5 ms.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { createBashPolicy, decideBash, resolvePathOnDisk } from '../src/security/index.js'

interface Row {
  command: string
  kind: 'ordinary' | 'adversarial'
}

const total = 1000
const rows = readFileSync(
  join(import.meta.dirname, '..', 'test', 'fixtures', 'policy', 'corpus.jsonl'),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Row)
const ordinary = rows.filter((row) => row.kind === 'ordinary')
const adversarial = rows.filter((row) => row.kind === 'adversarial')

let state = 7
const random = (): number => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
const mix = Array.from(
  { length: total },
  () => (random() < 0.8 ? pick(ordinary) : pick(adversarial)).command,
)

const projectDir = mkdtempSync(join(tmpdir(), 'autocoder-bench-policy-'))
try {
  const loaded = await createBashPolicy({
    declaredPackages: [
      'vitest',
      'typescript',
      'tsc',
      'vite',
      'eslint',
      'prettier',
      'playwright',
      'tsx',
    ],
  })
  if (!loaded.ok) throw new Error(loaded.error.message)
  const context = {
    policy: loaded.value,
    cwd: projectDir,
    projectDir,
    homeDir: '/home/dev',
    resolvePath: resolvePathOnDisk,
  }
  for (const command of mix.slice(0, 200)) decideBash(command, context) // warm up
  const times: number[] = []
  let allowed = 0
  const started = performance.now()
  for (const command of mix) {
    const before = performance.now()
    if (decideBash(command, context).allowed) allowed++
    times.push(performance.now() - before)
  }
  const elapsedMs = performance.now() - started
  times.sort((a, b) => a - b)
  const at = (p: number): number =>
    Number((times[Math.min(times.length - 1, Math.floor(times.length * p))] ?? 0).toFixed(4))
  console.log(
    JSON.stringify({
      bench: 'policy',
      commands: total,
      allowed,
      decisionsPerSecond: Math.round(total / (elapsedMs / 1000)),
      medianMs: at(0.5),
      p90Ms: at(0.9),
      p99Ms: at(0.99),
      maxMs: at(1),
      goalMedianMs: 0.5,
    }),
  )
} finally {
  rmSync(projectDir, { recursive: true, force: true })
}
