import { DANGEROUS_VARIABLE } from './command-lists.js'
import { operands, type Invocation } from './invocation.js'
import type { ResolvePath } from './paths.js'

/** Why assigning this variable is refused: a subscript (arithmetic) or a variable tools obey. */
export function checkAssignment(name: string): string | null {
  if (name.includes('[')) return `assignment to ${name}: array subscripts can run commands`
  return DANGEROUS_VARIABLE.test(name)
    ? `setting ${name} changes what later commands run or where they write, and is refused`
    : null
}

/**
 * Adds the directory a `cd` goes to to the bases later relative paths are checked from (the old
 * ones stay: the cd may fail). `cd -- -L` goes to a directory named `-L`: operands, not options.
 */
export function followCd(
  invocation: Invocation,
  bases: string[],
  resolvePath: ResolvePath,
  home: string | undefined,
): void {
  const [target] = operands(invocation.args.map((word) => word.value))
  if (!target) return
  const expanded =
    target === '~' || target.startsWith('~/') ? (home ? home + target.slice(1) : target) : target
  for (const base of [...bases]) {
    const next = resolvePath(expanded.startsWith('/') ? expanded : `${base}/${expanded}`)
    if (!bases.includes(next)) bases.push(next)
  }
}

/** Commands that read whole directory trees: grep -r, find, du, ls -R, cp -r. */
export function isRecursiveRead(invocation: Invocation): boolean {
  if (invocation.base === 'find' || invocation.base === 'du') return true
  if (!['grep', 'ls', 'cp', 'diff'].includes(invocation.base)) return false
  return invocation.args.some((word) =>
    /^-[A-Za-z]*[rR]|^--(recursive|dereference-recursive)$/.test(word.value ?? ''),
  )
}

/** An argument, the value after `=` (`--file=x`) and after a leading `@` (`-d @file`). */
export function pathCandidates(value: string | null): string[] {
  if (value === null) return []
  const out = [value]
  const equals = value.indexOf('=')
  if (equals !== -1) out.push(value.slice(equals + 1))
  if (value.startsWith('@')) out.push(value.slice(1))
  return out
}
