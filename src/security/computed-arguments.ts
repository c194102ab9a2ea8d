import type { Invocation } from './invocation.js'
import { isLiteral, mayBeOption, type Word } from './words.js'

/**
 * Commands whose arguments are only data: a computed argument can change what they print, never
 * what they open, write or run.
 */
const DATA_COMMANDS = new Set([
  'echo',
  'true',
  'false',
  ':',
  'exit',
  'sleep',
  'basename',
  'dirname',
  'realpath',
  'which',
  'pwd',
  'whoami',
  'uname',
])

/**
 * Commands whose options are harmless whatever they are: a wildcard that expands to an
 * option-like file name (`*` matching a file called `-l`) changes only how they list, count or
 * remove the files it names, which all lie in the directory the wildcard lists.
 */
const HARMLESS_OPTIONS = new Set([
  'ls',
  'cat',
  'head',
  'tail',
  'wc',
  'grep',
  'du',
  'stat',
  'file',
  'rm',
  'touch',
  'mkdir',
  'cut',
  'chmod',
  'diff',
])

/**
 * Why a computed or wildcard argument may not stand where it stands, for commands whose validator
 * does not read the arguments itself (`handled`). A computed argument (`$x`, `$(…)`, or a quote
 * glued to either) could become an option or a path the policy cannot check, so only data
 * commands take one; a wildcard may expand to option-like file names, so it must start with
 * literal text unless the command's options are harmless.
 */
export function computedArgumentProblem(
  invocation: Invocation,
  handled: ReadonlySet<string>,
): string | null {
  const { base, name } = invocation
  if (handled.has(base) || DATA_COMMANDS.has(base)) return null
  for (const word of invocation.args) {
    if (isLiteral(word)) continue
    if (word.value === null) return computedReason(name, word)
    if (word.pattern && mayBeOption(word) && !HARMLESS_OPTIONS.has(base))
      return patternReason(name, word)
  }
  return null
}

export function computedReason(name: string, word: Word): string {
  if (word.splits && word.prefix !== '' && !word.prefix.startsWith('-'))
    return `${name}: ${word.raw} is split into words at run time, and the words after the first could be options or paths the policy cannot check; quote the expansion ("…$x…") or write the value out`
  return `${name}: ${word.raw} is computed at run time, so it could become an option or a path the policy cannot check; write the value out literally`
}

export function patternReason(name: string, word: Word): string {
  return `${name} ${word.raw}: a pattern that starts with a wildcard can expand to option-like file names; quote it or start it with ./`
}

/** lsof options that select by port and print process ids: `lsof -ti :3000`, `-t -i tcp:5173`. */
const LSOF_BY_PORT =
  /^lsof(\s+(-[tnPl]+|-[tnPl]*i\s*(tcp|udp)?:\d+|-[tnPl]*i|(tcp|udp)?:\d+|-sTCP:[A-Z]+))+$/i

/** `lsof` that prints the ids of processes using a port, and nothing else (not `-p 1`). */
export function isPortLsof(words: readonly string[]): boolean {
  return (
    words.includes('lsof') &&
    LSOF_BY_PORT.test(words.join(' ')) &&
    words.some((w) => /t/.test(w) && w.startsWith('-'))
  )
}

/**
 * Process ids for kill and wait: `$(lsof -ti :PORT)`, `$!`, literal digits, or a variable this
 * command set only to one of those (`npm run dev & PID=$!; …; kill $PID`).
 */
export function isProcessIdSource(raw: string, assigned: ReadonlyMap<string, string[]>): boolean {
  const unquoted = raw.replace(/^"(.*)"$/s, '$1')
  const fromTool = (text: string): boolean => {
    const inner = /^(?:\$\(|`)\s*(lsof\b[^`)]*?)\s*(?:\)|`)$/.exec(text)?.[1]
    return (
      (inner !== undefined && isPortLsof(inner.split(/\s+/))) || text === '$!' || /^\d+$/.test(text)
    )
  }
  if (fromTool(unquoted)) return true
  const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(unquoted)?.[1]
  const values = variable ? assigned.get(variable) : undefined
  return values !== undefined && values.every((value) => fromTool(value.replace(/^"(.*)"$/s, '$1')))
}
