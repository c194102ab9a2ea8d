// Figures by class and mode (one JSON line each) and the findings file the other lanes read.
import { ATTACK_CLASSES } from './attack.js'
import type { AttackClass } from './attack.js'
import type { ModeReport } from './modes.js'
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

const oneLine = (text: string, max: number): string => {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max)}…` : flat
}

/** Markdown: per mode and class, each escape with its command and what it achieved. */
export function findingsMarkdown(
  reports: readonly ModeReport[],
  extra: readonly string[],
  when: string,
): string {
  const lines = [
    '# Attack findings (issue 11)',
    '',
    `Generated ${when} by \`npx tsx test/attacks/run.ts\` against this checkout. Overwritten each run.`,
    'Paths: canary/<id> is the canary folder outside the project; home/ the fake home.',
    '',
    '## Figures',
    '',
    '| mode | ' + Object.keys(ATTACK_CLASSES).join(' | ') + ' |',
    '| --- | ' +
      Object.keys(ATTACK_CLASSES)
        .map(() => '---')
        .join(' | ') +
      ' |',
  ]
  for (const report of reports) {
    const figures = new Map(classFigures(report).map((figure) => [figure.cls, figure]))
    const cells = Object.keys(ATTACK_CLASSES).map((key) => {
      const figure = figures.get(Number(key) as AttackClass)
      return figure ? `${figure.escaped}/${figure.attempted + figure.notRun.length}` : '-'
    })
    const isolated = report.isolation.length > 0 && report.isolation.every(Boolean)
    lines.push(
      `| ${modeName(report.mode)}${isolated ? '' : ' (Bash saw our processes)'} | ${cells.join(' | ')} |`,
    )
  }
  lines.push('', 'Cells: escaped/attempted. Classes 11, 13, 14 also have direct tests (below).', '')
  for (const report of reports) {
    lines.push(`## ${modeName(report.mode)} (${Math.round(report.ms / 1000)} s)`, '')
    for (const figure of classFigures(report)) {
      if (figure.escaped === 0 && figure.notRun.length === 0) continue
      lines.push(
        `### class ${figure.cls}: ${figure.name} (${figure.escaped} of ${figure.attempted})`,
        '',
      )
      for (const outcome of report.outcomes.filter(
        (o) => o.attack.cls === figure.cls && o.escapes.length > 0,
      )) {
        const what = outcome.escapes
          .map((escape) => `${escape.kind}: ${oneLine(escape.detail, 120)}`)
          .join('; ')
        const command = outcome.attack.steps.map((step) => JSON.stringify(step)).join(' then ')
        lines.push(`- ${outcome.attack.id}: ${oneLine(command, 200)} → ${what}`)
      }
      if (figure.notRun.length > 0) lines.push(`- not run: ${figure.notRun.join(', ')}`)
      lines.push('')
    }
    if (report.unattributed.length > 0) {
      lines.push('### unattributed', '')
      for (const escape of report.unattributed)
        lines.push(`- ${escape.kind}: ${oneLine(escape.detail, 200)}`)
      lines.push('')
    }
  }
  lines.push(...extra)
  return `${lines.join('\n')}\n`
}
