// The attack suite as a script: every mode, figures as JSON lines, findings written to a file.
//   npx tsx test/attacks/run.ts [--modes single/sandbox,orchestrated/no-sandbox] [--classes 2,3]
//                              [--findings /path/to/findings.md]
import { writeFileSync } from 'node:fs'

import buildForTests from '../global-setup.js'

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

const modes = option('modes')
  ? ALL_MODES.filter((mode) => option('modes')!.split(',').includes(modeName(mode)))
  : ALL_MODES
const classes = option('classes')?.split(',').map(Number) as AttackClass[] | undefined
const attacks = BASH_ATTACKS.filter((attack) => !classes || classes.includes(attack.cls))
const reports: ModeReport[] = []
// The CLI from a build (esbuild, ~0.1 s) starts much faster than through tsx.
const removeBuild = buildForTests()
for (const mode of modes) {
  const report = await runAttackMode(mode, attacks)
  reports.push(report)
  for (const figure of classFigures(report)) process.stdout.write(`${figureLine(figure)}\n`)
  process.stdout.write(
    `${JSON.stringify({ mode: modeName(mode), seconds: Math.round(report.ms / 1000), sessions: report.isolation.length, isolated: report.isolation, unattributed: report.unattributed.length, cli: report.cli.map((run) => run.status) })}\n`,
  )
}
const extra: string[] = []
if (!option('skip-merge-check')) {
  for (const sandbox of [true, false]) {
    const report = await runAttackMode({ agents: 'orchestrated', sandbox }, [mergeCheckAttack])
    const escapes = report.outcomes.flatMap((outcome) => outcome.escapes)
    const line = {
      mode: modeName(report.mode),
      test: 'merge check',
      escaped: escapes.length > 0,
      escapes,
    }
    process.stdout.write(`${JSON.stringify(line)}\n`)
    extra.push(
      `## merge check, ${modeName(report.mode)}`,
      '',
      ...(escapes.length === 0
        ? ['contained']
        : escapes.map((escape) => `- ${escape.kind}: ${escape.detail}`)),
      '',
    )
  }
}
if (!option('skip-direct')) {
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
if (findings) writeFileSync(findings, findingsMarkdown(reports, extra, new Date().toISOString()))
