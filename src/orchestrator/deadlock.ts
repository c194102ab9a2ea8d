import { findCycles, isDone } from '../core/index.js'
import type { Feature, FeatureState } from '../core/index.js'

export interface BlockedEntry {
  id: number
  state: FeatureState
  /** Dependencies that exist but do not pass. */
  waitingOn: number[]
  /** Dependencies on ids that do not exist. */
  missing: number[]
}

/** Why a run cannot continue: what is blocked on what, and the cycles. */
export interface DeadlockReport {
  blocked: BlockedEntry[]
  cycles: number[][]
  message: string
}

/**
 * Describes a board on which nothing is ready and nothing runs although features remain: every
 * unfinished feature with the dependencies it waits on (missing ids named), the dependency
 * cycles, and the features that wait for a person.
 */
export function deadlockReport(features: readonly Feature[]): DeadlockReport {
  const byId = new Map(features.map((feature) => [feature.id, feature]))
  const blocked: BlockedEntry[] = []
  for (const feature of [...features].sort((a, b) => a.id - b.id)) {
    if (isDone(feature.state)) continue
    const unmet = feature.dependencies.filter((dep) => byId.get(dep)?.state !== 'passing')
    blocked.push({
      id: feature.id,
      state: feature.state,
      waitingOn: unmet.filter((dep) => byId.has(dep)),
      missing: unmet.filter((dep) => !byId.has(dep)),
    })
  }
  const cycles = findCycles(features)
  const lines = [
    `No feature is ready and no agent is running, but ${blocked.length} feature(s) are not done:`,
  ]
  for (const entry of blocked.slice(0, 50)) {
    const parts: string[] = []
    if (entry.state === 'needs_human') parts.push('waits for a person (autocoder answer)')
    else if (
      entry.state === 'failing' ||
      entry.state === 'pending' ||
      entry.state === 'in_progress'
    )
      parts.push(entry.state)
    if (entry.waitingOn.length > 0) {
      parts.push(
        `waits on ${entry.waitingOn.map((id) => `#${id} (${byId.get(id)!.state})`).join(', ')}`,
      )
    }
    if (entry.missing.length > 0)
      parts.push(`depends on missing ${entry.missing.map((id) => `#${id}`).join(', ')}`)
    lines.push(`  #${entry.id} ${byId.get(entry.id)!.name}: ${parts.join('; ')}`)
  }
  if (blocked.length > 50) lines.push(`  ... and ${blocked.length - 50} more`)
  for (const cycle of cycles)
    lines.push(`  cycle: ${[...cycle, cycle[0]].map((id) => `#${id}`).join(' -> ')}`)
  lines.push(
    'Fix the dependencies (autocoder features deps), answer the questions, or skip features, then run again.',
  )
  return { blocked, cycles, message: lines.join('\n') }
}
