import { posix } from 'node:path'

import { isPortLsof, isProcessIdSource } from './computed-arguments.js'
import type { CheckContext, Invocation, Validator } from './invocation.js'
import { operandWords, parseOptions, type OptionSpec } from './option-parser.js'
import { isInside } from './paths.js'
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
  const full = parsed.tokens.some(
    (token) => token.kind === 'option' && /^(-f|--full)$/.test(token.name),
  )
  for (const word of patterns) {
    if (!isLiteral(word)) return `${invocation.base} has a pattern computed at run time`
    const reason =
      patternProblem(invocation.base, word.value ?? '', context) ??
      selfProblem(invocation.base, word.value ?? '', full, context)
    if (reason) return reason
  }
  return null
}

/** A pattern that also matches autocoder's own process (or the one that started it). */
function selfProblem(
  tool: string,
  pattern: string,
  full: boolean,
  context: CheckContext,
): string | null {
  // the pattern has no operators but `.`, so it is a safe regular expression as it is
  const matcher = new RegExp(pattern)
  const hit = context.protectedProcesses.find((process) =>
    matcher.test(full ? process.commandLine : process.name),
  )
  return hit
    ? `${tool} ${JSON.stringify(pattern)} also matches autocoder itself (${full ? hit.commandLine : hit.name}); name the server more exactly`
    : null
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
    if (context.protectedProcesses.some((process) => process.name === value))
      return `killall ${value} would also stop autocoder itself`
  }
  return invocation.args.some((word) => !(word.value ?? '').startsWith('-'))
    ? null
    : 'killall needs a process name'
}

/**
 * `kill` may signal the agent's own processes: by literal id when the process works inside the
 * checkout, `$!`, an id from `lsof -ti :PORT`, or (under xargs) the ids that lsof prints. pid 1,
 * 0, -1, negative ids (process groups), the parent shell (`$PPID`, `$$`) and autocoder's own
 * processes are refused.
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
        return `kill ${word.raw}: a process id computed at run time can only come from $!, $(lsof -ti :PORT) or lsof -ti :PORT | xargs kill`
      const foreign = portsSource(invocation, word.raw, context)
        .map((port) => foreignListener(port, context))
        .find((reason) => reason !== null)
      if (foreign) return foreign
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
    if (context.protectedProcesses.some((process) => process.pid === Number(value)))
      return `kill ${value} would stop autocoder itself`
    const reason = othersProcess(Number(value), context)
    if (reason) return reason
    targets++
  }
  if (targets === 0) return 'kill needs a process id'
  return null
}

const OWN_IDS = '$!, lsof -ti :PORT | xargs kill, or pkill -f "server name"'

/**
 * A literal id must name a process the agent started: one working inside its checkout (its dev
 * servers and test runs do; autocoder, other agents and the rest of the machine do not).
 */
function othersProcess(pid: number, context: CheckContext): string | null {
  const directory = context.processDirectory?.(pid) ?? null
  if (directory === null)
    return `kill ${pid}: no process ${pid} the policy can see; signal your own processes with ${OWN_IDS}`
  const real = context.scope.resolvePath(posix.resolve(directory))
  const roots = context.scope.writeRoots.map((root) =>
    context.scope.resolvePath(posix.resolve(root)),
  )
  return roots.some((root) => isInside(real, root))
    ? null
    : `kill ${pid}: process ${pid} works in ${directory}, outside this checkout, so this agent did not start it; signal your own processes with ${OWN_IDS}`
}

/** The ports whose listeners a computed target names (`$(lsof -ti :3000)`, lsof … | xargs kill). */
function portsSource(invocation: Invocation, raw: string, context: CheckContext): number[] {
  const texts = invocation.argsFromStdin
    ? [(invocation.producer?.args ?? []).map((word) => word.value ?? '').join(' ')]
    : [raw, ...(context.assigned.get(/^"?\$\{?([A-Za-z_]\w*)/.exec(raw)?.[1] ?? '') ?? [])]
  return texts.flatMap((text) =>
    [...text.matchAll(/(?:^|[\s(])-?[a-zA-Z]*i?\s*(?:tcp|udp)?:(\d+)/g)].map((match) =>
      Number(match[1]),
    ),
  )
}

/**
 * `lsof -ti :PORT` names whoever listens there: the agent's dev server, or autocoder, another
 * agent's server, a system service. Each listener must work inside the checkout, as for a literal id.
 */
function foreignListener(port: number, context: CheckContext): string | null {
  for (const pid of context.portOwners?.(port) ?? []) {
    if (pid === -1)
      return `kill of the processes on port ${port}: one of them belongs to another user, so this agent did not start it`
    if (context.protectedProcesses.some((process) => process.pid === pid))
      return `kill of the processes on port ${port} would stop autocoder itself`
    const reason = othersProcess(pid, context)
    if (reason) return `kill of the processes on port ${port}: ${reason}`
  }
  return null
}

/** A computed target: `$!`, `$(lsof …)`, a variable set from those, or xargs fed by lsof. */
function processIds(invocation: Invocation, raw: string, context: CheckContext): boolean {
  if (invocation.argsFromStdin) {
    const producer = invocation.producer
    if (producer === null || !producer.args.every(isLiteral)) return false
    return isPortLsof([producer.name.value ?? '', ...producer.args.map((word) => word.value ?? '')])
  }
  return isProcessIdSource(raw, context.assigned)
}
