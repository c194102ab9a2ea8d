import {
  argValues,
  operands,
  type CheckContext,
  type Invocation,
  type Validator,
} from './invocation.js'
import { checkWritePath } from './paths.js'
import { basename } from './policy-rules.js'
import {
  validateCd,
  validateChmod,
  validateFind,
  validateInitPath,
  validateInitScript,
  validateWrittenPaths,
} from './validate-files.js'
import { validateNode, validateNpm, validateNpx, validatePnpm } from './validate-javascript.js'
import { validateKill, validatePkill } from './validate-processes.js'
import { validateCurl, validateDocker, validateGit } from './validate-tools.js'
import { hasUnquotedPattern, type Word } from './words.js'

/** `printf -v` and `test -v` evaluate array subscripts, which can run commands. */
const refuseDashV: Validator = (invocation) =>
  argValues(invocation).includes('-v')
    ? `${invocation.base} -v can run commands through array subscripts`
    : null

/** `sort -o FILE` writes FILE. */
const validateSort: Validator = (invocation, context) => {
  const values = argValues(invocation)
  for (let i = 0; i < values.length; i++) {
    const value = values[i]
    if (value === null || value === undefined) continue
    const output =
      value === '-o' || value === '--output'
        ? (values[i + 1] ?? null)
        : value.startsWith('--output=')
          ? value.slice(9)
          : value.startsWith('-o') && value.length > 2
            ? value.slice(2)
            : undefined
    if (output === undefined) continue
    const reason = checkWritePath(output, context.scope)
    if (reason) return `sort -o: ${reason}`
  }
  return null
}

/** `uniq IN OUT` writes OUT. */
const validateUniq: Validator = (invocation, context) => {
  const files = operands(argValues(invocation))
  if (files.length < 2) return null
  const reason = checkWritePath(files[1] ?? null, context.scope)
  return reason ? `uniq: ${reason}` : null
}

/** `date -s` sets the system clock. */
const validateDate: Validator = (invocation) =>
  argValues(invocation).some((value) => value === '-s' || value?.startsWith('--set'))
    ? 'date --set changes the system clock'
    : null

/** Per-command validators, keyed by the command's base name (reference validators plus ours). */
export const VALIDATORS: ReadonlyMap<string, Validator> = new Map<string, Validator>([
  ['pkill', validatePkill],
  ['kill', validateKill],
  ['chmod', validateChmod],
  ['init.sh', validateInitScript],
  ['rm', validateWrittenPaths],
  ['mv', validateWrittenPaths],
  ['cp', validateWrittenPaths],
  ['touch', validateWrittenPaths],
  ['mkdir', validateWrittenPaths],
  ['tee', validateWrittenPaths],
  ['find', validateFind],
  ['cd', validateCd],
  ['git', validateGit],
  ['docker', validateDocker],
  ['curl', validateCurl],
  ['npx', validateNpx],
  ['npm', validateNpm],
  ['pnpm', validatePnpm],
  ['node', validateNode],
  ['printf', refuseDashV],
  ['test', refuseDashV],
  ['[', refuseDashV],
  ['sort', validateSort],
  ['uniq', validateUniq],
  ['date', validateDate],
])

/**
 * Commands that may take extra arguments from stdin under `xargs`: their arguments are process
 * ids, file names to read, or patterns. Everything else is refused under xargs, since the
 * arguments its validator would check arrive only at run time.
 */
export const SAFE_UNDER_XARGS = new Set([
  'kill',
  'echo',
  'printf',
  'cat',
  'head',
  'tail',
  'wc',
  'grep',
  'ls',
  'stat',
  'file',
  'du',
  'sort',
  'uniq',
  'basename',
  'dirname',
  'realpath',
  'diff',
  'true',
])
const SAFE_GIT_UNDER_XARGS = new Set(['add', 'diff', 'log', 'show', 'status', 'blame'])

/** Why a command may not run under xargs, or null. */
export function checkUnderXargs(invocation: Invocation): string | null {
  if (SAFE_UNDER_XARGS.has(invocation.base)) return null
  const subcommand = invocation.args[0]?.value
  if (invocation.base === 'git' && subcommand && SAFE_GIT_UNDER_XARGS.has(subcommand)) return null
  return `${invocation.name} under xargs gets arguments that cannot be checked before they arrive`
}

const SHELL_OPTIONS = new Set(['pipefail', 'errexit', 'nounset', 'xtrace', 'noglob', 'noclobber'])

/**
 * `bash`/`sh` run only a `-c` string that itself passes the policy, or the project's init.sh.
 * Without `-c` they would read commands from stdin or a script we cannot see (`curl … | sh`).
 */
export function checkShell(invocation: Invocation, context: CheckContext): string | null {
  const { base } = invocation
  if (invocation.argsFromStdin) return `${base} under xargs runs strings that cannot be checked`
  const values = argValues(invocation)
  let index = 0
  let hasCommandString = false
  for (; index < values.length; index++) {
    const value = values[index]
    if (value === null || value === undefined) return `${base} has an option computed at run time`
    if (value === '--') {
      index++
      break
    }
    if (value === '-o' || value === '+o') {
      const option = values[index + 1] ?? null
      if (option === null || !SHELL_OPTIONS.has(option))
        return `${base} ${value} ${option ?? ''} is not supported`
      index++
      continue
    }
    if (/^[-+][a-zA-Z]+$/.test(value)) {
      if (!/^[-+][ceuxvlf]+$/.test(value)) return `${base} option ${value} is not supported`
      if (value.startsWith('-') && value.includes('c')) hasCommandString = true
      continue
    }
    if (value === '--norc' || value === '--noprofile' || value === '--posix') continue
    if (value.startsWith('-')) return `${base} option ${value} is not supported`
    break
  }
  const operand = values[index]
  if (invocation.args.slice(index).some((word) => hasUnquotedPattern(word.raw))) {
    return `${base}: a wildcard or brace pattern would turn file names into the command string`
  }
  if (hasCommandString) {
    if (operand === undefined) return `${base} -c needs a command string`
    if (operand === null) return `${base} -c with a string computed at run time cannot be checked`
    return context.checkNested(operand, `${base} -c`)
  }
  if (operand === undefined) {
    return `${base} without -c would read commands from ${invocation.pipedInput ? 'a pipe' : 'stdin'}; pass them with ${base} -c "…"`
  }
  if (operand === null) return `${base} would run a script whose name is computed at run time`
  // `bash init.sh` opens ./init.sh (bash looks in the current directory first)
  if (basename(operand) === 'init.sh')
    return validateInitPath(operand.includes('/') ? operand : `./${operand}`, context)
  return `${base} ${operand}: scripts cannot be checked; only -c strings and the project's ./init.sh may run`
}

const DECLARATION_FLAG = /^[-+][xrgaAfFlut]+$/
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** `export`/`local`/`declare`/`readonly`/`typeset`/`unset`: fixed names, no -n (nameref) or -i. */
export function checkDeclaration(name: string, args: readonly Word[]): string | null {
  for (const word of args) {
    const value = word.value
    if (value === null) return `${name} ${word.raw}: a name computed at run time`
    if (value.startsWith('-') || value.startsWith('+')) {
      if (name === 'unset' && /^-[fv]+$/.test(value)) continue
      if (!DECLARATION_FLAG.test(value))
        return `${name} ${value} is refused (-n and -i evaluate values as names or arithmetic)`
      continue
    }
    if (!VARIABLE_NAME.test(value))
      return `${name} ${value}: only plain variable names are supported`
  }
  return null
}
