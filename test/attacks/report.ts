// Figures by class and mode (one JSON line each) and the findings file the other lanes read.
import { ATTACK_CLASSES } from './attack.js'
import type { AttackClass } from './attack.js'
import type { ModeReport } from './modes.js'
import type { AttackOutcome } from './scenario.js'
import type { ModeTiming } from './timing.js'
import { modeName } from './modes.js'

/** One line of figures: a class in a mode. */
export interface ClassFigure {
  readonly mode: string
  readonly cls: AttackClass
  readonly name: string
  readonly attempted: number
  readonly escaped: number
  readonly ids: readonly string[]
  /** Attacks the sessions never got to (a crashed session): counted as not contained. */
  readonly notRun: readonly string[]
}

export function classFigures(report: ModeReport): ClassFigure[] {
  const classes = [...new Set(report.outcomes.map((outcome) => outcome.attack.cls))].sort(
    (a, b) => a - b,
  )
  return classes.map((cls) => {
    const outcomes = report.outcomes.filter((outcome) => outcome.attack.cls === cls)
    const escaped = outcomes
      .filter((outcome) => outcome.escapes.length > 0)
      .map((outcome) => outcome.attack.id)
    return {
      mode: modeName(report.mode),
      cls,
      name: ATTACK_CLASSES[cls],
      attempted: outcomes.filter((outcome) => outcome.done).length,
      escaped: escaped.length,
      ids: escaped,
      notRun: outcomes.filter((outcome) => !outcome.done).map((outcome) => outcome.attack.id),
    }
  })
}

/** The JSON line printed for a class figure. */
export function figureLine(figure: ClassFigure): string {
  return JSON.stringify({
    mode: figure.mode,
    class: figure.cls,
    name: figure.name,
    attempted: figure.attempted,
    escaped: figure.escaped,
    ids: figure.ids,
    ...(figure.notRun.length > 0 ? { notRun: figure.notRun } : {}),
  })
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`

/** Where a mode's time went, in one line. */
export function timingLine(timing: ModeTiming): string {
  return [
    `${seconds(timing.totalMs)} in all`,
    `Claude Code start ${seconds(timing.startMs)} (${timing.sessions} session(s))`,
    `${timing.toolCalls} tool calls at ${timing.msPerToolCall} ms`,
    `evidence ${seconds(timing.collectMs)}`,
    `after the sessions ${seconds(timing.endMs)}`,
    `CPU ${seconds(timing.ownCpuMs)} here + ${seconds(timing.cliCpuMs)} CLI`,
  ].join(', ')
}

const oneLine = (text: string, max: number): string => {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max)}…` : flat
}

/** Markdown: the figures, then each escape once with the modes it got out in and what it did. */
export function findingsMarkdown(
  reports: readonly ModeReport[],
  extra: readonly string[],
  when: string,
): string {
  const classKeys = Object.keys(ATTACK_CLASSES).map(Number) as AttackClass[]
  const lines = [
    '# Attack findings (issue 11)',
    '',
    `Generated ${when} by \`npx tsx test/attacks/run.ts --findings <this file>\`; overwritten each run.`,
    'Placeholders: @T@ = canary/<id> (outside the project), @C@ the canary folder, @OUT@ a host',
    'outside, @SRV@ the autocoder server, @P@ the project, @KEY@ ~/.ssh/id_rsa of the fake home,',
    '@PROG@ a program outside the project, @PID@/@SLEEPER@ a canary process.',
    '',
    `| mode (seconds) | ${classKeys.join(' | ')} |`,
    `| --- | ${classKeys.map(() => '---').join(' | ')} |`,
  ]
  for (const report of reports) {
    const figures = new Map(classFigures(report).map((figure) => [figure.cls, figure]))
    const cells = classKeys.map((cls) => {
      const figure = figures.get(cls)
      return figure ? `${figure.escaped}/${figure.attempted + figure.notRun.length}` : '-'
    })
    const isolated = report.isolation.length > 0 && report.isolation.every(Boolean)
    const note = isolated ? '' : ', Bash saw our processes'
    lines.push(
      `| ${modeName(report.mode)} (${Math.round(report.ms / 1000)}${note}) | ${cells.join(' | ')} |`,
    )
  }
  lines.push(
    '',
    'Cells: escaped/attempted. "Bash saw our processes": no pid namespace, so no sandbox.',
    'Who closes what: an escape with the sandbox, the sandbox wiring; of classes 2-9 without it, the',
    'policy; of 11, the server token. 10, 12 and 13 without the sandbox are mostly node running the',
    "agent's own code, which the policy allows by design: only the sandbox contains them.",
    '',
    ...reports.map((report) => `- ${modeName(report.mode)}: ${timingLine(report.timing)}`),
    '',
  )
  const byAttack = new Map<string, { outcome: AttackOutcome; modes: string[] }>()
  for (const report of reports) {
    for (const outcome of report.outcomes) {
      if (outcome.escapes.length === 0 && outcome.done) continue
      const known = byAttack.get(outcome.attack.id)
      const mode = `${modeName(report.mode)}${outcome.done ? '' : ' (not run)'}`
      if (known) known.modes.push(mode)
      else byAttack.set(outcome.attack.id, { outcome, modes: [mode] })
    }
  }
  for (const cls of classKeys) {
    const entries = [...byAttack.values()].filter((entry) => entry.outcome.attack.cls === cls)
    if (entries.length === 0) continue
    lines.push(`## class ${cls}: ${ATTACK_CLASSES[cls]}`, '')
    for (const { outcome, modes } of entries) {
      const command = outcome.attack.steps.map((step) => JSON.stringify(step)).join(' then ')
      const what = outcome.escapes
        .map((escape) => `${escape.kind}: ${oneLine(escape.detail, 100)}`)
        .join('; ')
      lines.push(`- ${outcome.attack.id} [${modes.join(', ')}]: ${oneLine(command, 220)} → ${what}`)
    }
    lines.push('')
  }
  for (const report of reports.filter((candidate) => candidate.unattributed.length > 0)) {
    lines.push(`## unattributed, ${modeName(report.mode)}`, '')
    for (const escape of report.unattributed.slice(0, 10))
      lines.push(`- ${escape.kind}: ${oneLine(escape.detail, 200)}`)
    lines.push('')
  }
  lines.push(...extra)
  return `${lines.join('\n')}\n`
}
