import { argValues, type Validator } from './invocation.js'

/** pkill options that take a value (the value is not a process pattern). */
const PKILL_VALUE_OPTIONS = new Set([
  '-u',
  '-U',
  '-g',
  '-G',
  '-P',
  '-s',
  '-t',
  '--signal',
  '-F',
  '--pidfile',
])

/** Patterns that also match autocoder itself and Claude Code, which run on node. */
const TOO_BROAD = new Set(['node', 'npm', 'npx'])

/**
 * `pkill` may target only dev-server processes (node, npm, npx, vite, next and configured
 * names): the first word of every pattern must be one of them. A bare `node` pattern is refused
 * because it would also kill the orchestrator and the agent's own Claude Code process.
 */
export const validatePkill: Validator = (invocation, { rules }) => {
  if (invocation.argsFromStdin) return 'pkill under xargs takes patterns that cannot be checked'
  const values = argValues(invocation)
  const patterns: string[] = []
  for (let i = 0; i < values.length; i++) {
    const value = values[i]
    if (value === null || value === undefined) return 'pkill has a pattern computed at run time'
    if (PKILL_VALUE_OPTIONS.has(value)) {
      const option = values[i + 1]
      if (
        value === '-u' ||
        value === '-U' ||
        value === '-g' ||
        value === '-G' ||
        value === '-s' ||
        value === '-t' ||
        value === '-P'
      ) {
        return `pkill ${value} selects processes by owner or session; target a dev server by name instead`
      }
      if (option === null) return 'pkill has an option computed at run time'
      i++
      continue
    }
    if (value.startsWith('-')) continue
    patterns.push(value)
  }
  if (patterns.length === 0) return 'pkill needs a process name'
  for (const pattern of patterns) {
    if (/[|()*+?{}[\]^$\\]/.test(pattern)) {
      return `pkill pattern ${JSON.stringify(pattern)} uses regular-expression operators that could match any process; name the server literally`
    }
    const first = pattern.trim().split(/\s+/)[0] ?? ''
    if (!rules.pkillProcesses.has(first)) {
      return `pkill may only target ${[...rules.pkillProcesses].join(', ')} (got ${JSON.stringify(pattern)}); add it to pkill_processes in .autocoder/allowed_commands.yaml`
    }
    if (TOO_BROAD.has(pattern.trim())) {
      return `pkill ${pattern} would also kill autocoder and Claude Code (they run on node); name the server, e.g. pkill -f "node server.js"`
    }
  }
  return null
}

/**
 * `kill` may signal ordinary processes: pid 1, 0 (own process group), -1 (every process),
 * negative ids (process groups) and the parent shell (`$PPID`, `$$`) are refused.
 */
export const validateKill: Validator = (invocation) => {
  const raws = invocation.args.map((word) => word.raw)
  const values = argValues(invocation)
  let optionsEnded = false
  let targets = 0
  for (let i = 0; i < values.length; i++) {
    const value = values[i]
    const raw = raws[i] ?? ''
    if (/\$\{?(PPID|\$)\b|\$\$/.test(raw))
      return 'kill of the parent shell ($PPID, $$) would stop the agent itself'
    if (value === null || value === undefined) {
      targets++
      continue
    }
    if (!optionsEnded && value === '--') {
      optionsEnded = true
      continue
    }
    if (!optionsEnded && (value === '-s' || value === '-n')) {
      i++
      continue
    }
    if (!optionsEnded && value === '-l') return null
    if (!optionsEnded && /^-[A-Za-z0-9+]+$/.test(value) && !/^-\d+$/.test(value)) continue
    // -9 is a signal before the first target; a negative number after it is a process group
    if (!optionsEnded && /^-\d+$/.test(value) && targets === 0 && i === firstOptionIndex(values))
      continue
    if (/^%\d*$/.test(value)) {
      targets++
      continue
    }
    if (/^\{.*\}$|^%$/.test(value) && invocation.argsFromStdin) continue
    if (!/^\d+$/.test(value)) return `kill target ${JSON.stringify(value)} is not a process id`
    if (Number(value) <= 1)
      return `kill ${value} would signal ${value === '1' ? 'init' : 'every process in the group'}`
    targets++
  }
  if (targets === 0 && !invocation.argsFromStdin) return 'kill needs a process id'
  return null
}

function firstOptionIndex(values: readonly (string | null)[]): number {
  return values.findIndex((value) => value !== null && value.startsWith('-'))
}
