// The attack suite as a script: every mode, figures as JSON lines, findings written to a file.
//   npx tsx test/attacks/run.ts [--modes single/sandbox,orchestrated/no-sandbox] [--classes 2,3]
//                              [--findings /path/to/findings.md] [--skip-direct] [--jobs 2]
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'

import buildForTests from '../global-setup.js'
import { repoRoot } from '../helpers/cli.js'

import type { AttackClass } from './attack.js'
import { BASH_ATTACKS } from './catalog/index.js'
import type { DirectOutcome } from './direct/direct-attack.js'
import { attackMcpStdio } from './direct/mcp-stdio.js'
import { attackSecretsAtRest } from './direct/secrets-at-rest.js'
import { attackServerAccess } from './direct/server-access.js'
import { mergeCheckAttack } from './merge-check.js'
import type { AttackMode, ModeReport } from './modes.js'
import { modeName, runAttackMode } from './modes.js'
import { classFigures, figureLine, findingsMarkdown } from './report.js'
import { createAttackWorld } from './world.js'

const ALL_MODES: AttackMode[] = [
  { agents: 'single', sandbox: true },
  { agents: 'orchestrated', sandbox: true },
  { agents: 'single', sandbox: false },
  { agents: 'orchestrated', sandbox: false },
]

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`)
  return index < 0 ? undefined : process.argv[index + 1]
}
const flag = (name: string): boolean => process.argv.includes(`--${name}`)

const modes = option('modes')
  ? ALL_MODES.filter((mode) => option('modes')!.split(',').includes(modeName(mode)))
  : ALL_MODES
const classes = option('classes')?.split(',').map(Number) as AttackClass[] | undefined
const attacks = BASH_ATTACKS.filter((attack) => !classes || classes.includes(attack.cls))
// Modes at once (default 1): worth it only with idle cores (each session keeps about one busy).
// With more than one, a mode's cliCpuMs counts the CLI runs of the others that ended meanwhile.
const jobs = Math.max(1, Number(option('jobs') ?? 1))
const load = (): string =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join('/')
const loadAtStart = load()
const reports: ModeReport[] = []
// The CLI from a build (esbuild, ~0.1 s) starts much faster than through tsx.
const removeBuild = buildForTests()
const queue = [...modes]
const worker = async (): Promise<void> => {
  for (let mode = queue.shift(); mode; mode = queue.shift()) {
    const report = await runAttackMode(mode, attacks)
    reports.push(report)
    for (const figure of classFigures(report)) process.stdout.write(`${figureLine(figure)}\n`)
    process.stdout.write(
      `${JSON.stringify({ mode: modeName(mode), seconds: Math.round(report.ms / 1000), sessions: report.isolation.length, isolated: report.isolation, unattributed: report.unattributed.length, cli: report.cli.map((run) => run.status), timing: report.timing })}\n`,
    )
  }
}
await Promise.all(Array.from({ length: Math.min(jobs, modes.length) }, worker))
reports.sort((a, b) => modes.indexOf(a.mode) - modes.indexOf(b.mode))
const extra: string[] = []
// The merge check runs within the orchestrated modes (the last attack of their session).
for (const report of reports) {
  const outcome = report.outcomes.find((candidate) => candidate.attack.id === mergeCheckAttack.id)
  if (!outcome) continue
  const line = { mode: modeName(report.mode), test: 'merge check', escapes: outcome.escapes }
  process.stdout.write(`${JSON.stringify(line)}\n`)
  extra.push(
    `## merge check, ${modeName(report.mode)}`,
    '',
    ...(outcome.escapes.length === 0
      ? [outcome.done ? 'contained' : 'not run']
      : outcome.escapes.map((escape) => `- ${escape.kind}: ${escape.detail}`)),
    '',
  )
}
if (!flag('skip-direct')) {
  const direct: DirectOutcome[] = []
  {
    await using world = await createAttackWorld({ features: ['direct'] })
    direct.push(...(await attackServerAccess(world.server.url, world.projectName)))
    direct.push(...(await attackMcpStdio(world.project, world.cliEnv('http://127.0.0.1:9'))))
  }
  direct.push(...(await attackSecretsAtRest()))
  extra.push('## direct tests (classes 11, 13, 14)', '')
  for (const cls of [11, 13, 14] as const) {
    const of = direct.filter((outcome) => outcome.cls === cls)
    const escaped = of.filter((outcome) => !outcome.contained)
    process.stdout.write(
      `${JSON.stringify({ mode: 'direct', class: cls, attempted: of.length, escaped: escaped.length, ids: escaped.map((outcome) => outcome.id) })}\n`,
    )
    extra.push(
      `### class ${cls}: ${escaped.length} of ${of.length} not contained`,
      '',
      ...escaped.map((outcome) => `- \`${outcome.id}\`: ${outcome.detail}`),
      '',
    )
  }
}
removeBuild()
const findings = option('findings')
if (findings) {
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot })
  const when = `${new Date().toISOString()} on ${commit.toString().trim()} (load average 1/5/15 min ${loadAtStart} at start, ${load()} at the end)`
  writeFileSync(findings, findingsMarkdown(reports, extra, when))
}
