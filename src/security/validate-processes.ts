import { isProcessIdSource } from './computed-arguments.js'
import type { CheckContext, Invocation, Validator } from './invocation.js'
import { operandWords, parseOptions, type OptionSpec } from './option-parser.js'
import { isLiteral } from './words.js'

/** Patterns that also match autocoder itself and Claude Code, which run on node. */
const TOO_BROAD = new Set(['node', 'npm', 'npx'])
const SIGNAL = /^-(\d+|[A-Z][A-Z0-9+-]*|SIG[A-Z0-9+-]+)$/

const PKILL: OptionSpec = {
  flags: [
    '-f',
    '--full',
    '-x',
    '--exact',
    '-n',
    '--newest',
    '-o',
    '--oldest',
    '-e',
    '--echo',
    '-c',
    '--count',
  ],
  values: { '--signal': 'text', '-s': 'text' },
  denied: {
    '-v': 'it signals every process that does not match',
    '--inverse': 'it signals every process that does not match',
    '-u': 'it selects processes by owner; name the dev server instead',
    '-U': 'it selects processes by owner; name the dev server instead',
    '-g': 'it selects process groups',
    '-G': 'it selects processes by group',
    '-P': 'it selects processes by parent',
    '--parent': 'it selects processes by parent',
    '-t': 'it selects processes by terminal',
    '--session': 'it selects processes by session',
    '-F': 'it reads process ids from a file',
    '--pidfile': 'it reads process ids from a file',
    '-i': 'it matches more than the name you give',
    '--ignore-case': 'it matches more than the name you give',
    '--ns': 'it selects processes by namespace',
    '--nslist': 'it selects processes by namespace',
    '-r': 'it selects processes by state',
    '--runstates': 'it selects processes by state',
    '--cgroup': 'it selects processes by cgroup',
    '--env': 'it selects processes by environment',
    '-A': 'it changes which processes are spared',
  },
}

/**
 * `pkill` (and `killall`, when a project allows it) may target only dev servers: every pattern
 * must start with a name from pkill_processes, use no regular-expression operators, and name the
 * server (`node server.js`, not `node` or `node .`), since autocoder and Claude Code run on node.
 */
export const validatePkill: Validator = (invocation, context) => {
  const args = invocation.args.filter((word) => !(isLiteral(word) && SIGNAL.test(word.value ?? '')))
  const parsed = parseOptions(invocation.base, args, PKILL)
  if (!parsed.ok) return parsed.reason
  const patterns = operandWords(parsed.tokens)
  if (patterns.length === 0) return `${invocation.base} needs a process name`
  for (const word of patterns) {
    if (!isLiteral(word)) return `${invocation.base} has a pattern computed at run time`
    const reason = patternProblem(invocation.base, word.value ?? '', context)
    if (reason) return reason
  }
  return null
}

function patternProblem(tool: string, pattern: string, context: CheckContext): string | null {
  if (/[|()*+?{}[\]^$\\]/.test(pattern))
    return `${tool} pattern ${JSON.stringify(pattern)} uses regular-expression operators that could match any process; name the server literally`
  const [first = '', ...rest] = pattern.trim().split(/\s+/)
  if (!context.rules.pkillProcesses.has(first))
    return `${tool} may only target ${[...context.rules.pkillProcesses].join(', ')} (got ${JSON.stringify(pattern)}); add it to pkill_processes in .autocoder/allowed_commands.yaml`
  if (rest.length === 0 && TOO_BROAD.has(first))
    return `${tool} ${pattern} would also kill autocoder and Claude Code (they run on node); name the server, e.g. pkill -f "node server.js"`
  const vague = rest.find((word) => (word.match(/[A-Za-z0-9]/g) ?? []).length < 2)
  if (vague !== undefined)
    return `${tool} pattern ${JSON.stringify(pattern)}: ${JSON.stringify(vague)} matches almost anything (. is a wildcard); name the script or server`
  return null
}

/** killall: the same rules as pkill, with its own option names. */
export const validateKillall: Validator = (invocation, context) => {
  for (const word of invocation.args) {
    if (!isLiteral(word)) return 'killall has an argument computed at run time'
    const value = word.value ?? ''
    if (SIGNAL.test(value) || /^-(e|--exact|q|--quiet|w|--wait|v|--verbose)$/.test(value)) continue
    if (value.startsWith('-'))
      return `killall ${value} is not on the list of options the policy allows (-r, -u, -g, -y/-o select more than a named server)`
    const reason = patternProblem('killall', value, context)
    if (reason) return reason
  }
  return invocation.args.some((word) => !(word.value ?? '').startsWith('-'))
    ? null
    : 'killall needs a process name'
}

/**
 * `kill` may signal ordinary processes by literal id, `$!`, an id from lsof, or (under xargs) the
 * ids lsof prints. pid 1, 0, -1, negative ids (process groups), the parent shell (`$PPID`, `$$`)
 * and autocoder's own processes are refused.
 */
export const validateKill: Validator = (invocation, context) => {
  const words = invocation.args
  let optionsEnded = false
  let targets = 0
  for (let i = 0; i < words.length; i++) {
    const word = words[i]
    if (!word) continue
    if (/\$\{?(PPID|\$)\b|\$\$/.test(word.raw))
      return 'kill of the parent shell ($PPID, $$) would stop the agent itself'
    const value = word.value
    if (value === null) {
      if (!processIds(invocation, word.raw, context))
        return `kill ${word.raw}: a process id computed at run time can only come from $!, $(lsof -t …) or lsof -t … | xargs kill`
      targets++
      continue
    }
    if (!optionsEnded && value === '--') {
      optionsEnded = true
      continue
    }
    if (!optionsEnded && targets === 0 && (value === '-s' || value === '-n')) {
      i++
      continue
    }
    if (!optionsEnded && targets === 0 && (value === '-l' || value === '-L')) return null
    if (!optionsEnded && targets === 0 && SIGNAL.test(value) && i === 0) continue
    if (/^%\d*$/.test(value)) {
      targets++
      continue
    }
    if (!/^\d+$/.test(value)) return `kill target ${JSON.stringify(value)} is not a process id`
    if (Number(value) <= 1)
      return `kill ${value} would signal ${value === '1' ? 'init' : 'every process in the group'}`
    if (context.protectedPids.has(Number(value))) return `kill ${value} would stop autocoder itself`
    targets++
  }
  if (targets === 0) return 'kill needs a process id'
  return null
}

/** A computed target: `$!`, `$(lsof …)`, a variable set from those, or xargs fed by lsof. */
function processIds(invocation: Invocation, raw: string, context: CheckContext): boolean {
  if (invocation.argsFromStdin) {
    const producer = invocation.producer
    return producer !== null && producer.name.value === 'lsof' && producer.args.every(isLiteral)
  }
  return isProcessIdSource(raw, context.assigned)
}
