import { DANGEROUS_VARIABLE } from './command-lists.js'
import { computedReason, isProcessIdSource } from './computed-arguments.js'
import type { Validator } from './invocation.js'
import { testWordsProblem } from './shell-arithmetic.js'
import { isLiteral, mayBeOption } from './words.js'

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** A name a builtin assigns to: plain (a subscript is arithmetic), and none tools obey. */
function assignedNameProblem(
  builtin: string,
  name: { value: string | null; raw: string } | undefined,
): string | null {
  if (!name || name.value === null || !PLAIN_NAME.test(name.value))
    return `${builtin} ${name?.value ?? name?.raw ?? ''}: only a plain variable name (array subscripts run commands)`
  return DANGEROUS_VARIABLE.test(name.value)
    ? `${builtin} ${name.value}: that variable changes what later commands run`
    : null
}

/**
 * `printf [-v NAME] FORMAT [ARGS]`: -v assigns to NAME, and a subscript there is arithmetic
 * (`printf -v 'a[$(cmd)]' 1` runs cmd), so NAME must be a plain name; the format must not be
 * computed where it could become `-v`. The arguments are data.
 */
export const validatePrintf: Validator = (invocation) => {
  const [first, second] = invocation.args
  if (!first) return null
  if (isLiteral(first) && first.value === '--') return null
  if (isLiteral(first) && (first.value ?? '').startsWith('-v')) {
    const name = first.value === '-v' ? second : { ...first, value: (first.value ?? '').slice(2) }
    return assignedNameProblem('printf -v', name && isLiteral(name) ? name : undefined)
  }
  if (mayBeOption(first) && !isLiteral(first)) return computedReason('printf', first)
  if (isLiteral(first) && (first.value ?? '').startsWith('-') && first.value !== '-')
    return `printf ${first.value ?? ''} is not an option the policy allows (printf -v NAME or printf -- FORMAT)`
  return null
}

/** `wait [-n] [-f] [-p NAME] [ID…]`: NAME must be a plain name; ids are process or job ids. */
export const validateWait: Validator = (invocation, context) => {
  const words = invocation.args
  for (let i = 0; i < words.length; i++) {
    const word = words[i]
    if (!word) continue
    if (!isLiteral(word)) {
      if (isProcessIdSource(word.raw, context.assigned)) continue
      return `wait ${word.raw}: an id computed at run time could become an option (-p assigns through array subscripts); use $! or a variable set from it`
    }
    const value = word.value ?? ''
    if (/^-[nf]+$/.test(value) || /^%?\d*$/.test(value) || value === '--') continue
    if (value.startsWith('-p')) {
      const name = value === '-p' ? words[++i] : { ...word, value: value.slice(2) }
      const reason = assignedNameProblem('wait -p', name && isLiteral(name) ? name : undefined)
      if (reason) return reason
      continue
    }
    return `wait ${value} is not a process id, job or option the policy allows`
  }
  return null
}

/** `test …` and `[ … ]` as commands: the same structure rule as a parsed `[ … ]`. */
export const validateTest: Validator = (invocation) => {
  const words =
    invocation.base === '[' && invocation.args.at(-1)?.value === ']'
      ? invocation.args.slice(0, -1)
      : invocation.args
  return testWordsProblem(invocation.base, words)
}

/** `set` flags that only make the shell stricter or louder. */
const SAFE_SET_FLAGS = /^[-+][euxv]+$/
const SAFE_SET_OPTIONS = new Set(['errexit', 'nounset', 'xtrace', 'verbose', 'pipefail'])

/**
 * `set` may turn on (or off) errexit, nounset, xtrace, verbose and pipefail, nothing else: -k
 * makes `VAR=value` anywhere an assignment, -B/-H/-P/-o posix change how later text is read,
 * -a exports every variable, and `set -- …` feeds computed words to `$@`.
 */
export const validateSet: Validator = (invocation) => {
  const words = invocation.args
  if (words.length === 0) return 'set without arguments prints every variable, secrets included'
  for (let i = 0; i < words.length; i++) {
    const word = words[i]
    if (!word) continue
    if (!isLiteral(word)) return computedReason('set', word)
    const value = word.value ?? ''
    if (SAFE_SET_FLAGS.test(value)) continue
    if (value === '-o' || value === '+o') {
      const option = words[++i]?.value
      if (option && SAFE_SET_OPTIONS.has(option)) continue
      return `set ${value} ${option ?? ''} is refused: only errexit, nounset, xtrace, verbose and pipefail`
    }
    if (/^[-+][a-zA-Z]*o$/.test(value) && /^[-+][euxv]*o$/.test(value)) {
      const option = words[++i]?.value
      if (option && SAFE_SET_OPTIONS.has(option)) continue
      return `set ${value} ${option ?? ''} is refused: only errexit, nounset, xtrace, verbose and pipefail`
    }
    return `set ${value} is refused: only -e, -u, -x, -v and -o pipefail (other flags change how the shell reads or exports commands)`
  }
  return null
}
