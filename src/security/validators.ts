import { DANGEROUS_VARIABLE } from './command-lists.js'
import { argValues, type CheckContext, type Invocation, type Validator } from './invocation.js'
import { basename } from './policy-rules.js'
import { validatePrintf, validateSet, validateTest, validateWait } from './validate-builtins.js'
import { validateCurl } from './validate-curl.js'
import { validateDocker } from './validate-docker.js'
import {
  validateCd,
  validateChmod,
  validateFind,
  validateInitPath,
  validateInitScript,
  validateWrittenPaths,
} from './validate-files.js'
import { validateGit } from './validate-git.js'
import { validateNode } from './validate-node.js'
import {
  validateNpm,
  validateNpx,
  validatePnpm,
  validateYarn,
} from './validate-package-managers.js'
import { validateKill, validateKillall, validatePkill } from './validate-processes.js'
import { validateSort, validateUniq } from './validate-text-tools.js'
import { hasUnquotedPattern, type Word } from './words.js'

/** `date -s` sets the system clock; `-f`/`-r` read files. */
const validateDate: Validator = (invocation) =>
  argValues(invocation).some(
    (value) =>
      value === '-s' ||
      value?.startsWith('--set') ||
      value?.startsWith('-f') ||
      value?.startsWith('--file'),
  )
    ? 'date --set changes the system clock and date -f reads a file; print dates with date +FORMAT'
    : null

/** `ps e` (BSD style) prints every process's environment: API keys and tokens. */
const validatePs: Validator = (invocation) => {
  const values = argValues(invocation)
  const shown = values.find(
    (value, i) =>
      value !== null &&
      /^[a-zA-Z]*e[a-zA-Z]*$/.test(value) &&
      !(values[i - 1] ?? '').startsWith('-'),
  )
  return shown ? `ps ${shown} shows other processes' environment (their secrets); use ps aux` : null
}

/** Per-command validators, keyed by the command's base name (reference validators plus ours). */
export const VALIDATORS: ReadonlyMap<string, Validator> = new Map<string, Validator>([
  ['pkill', validatePkill],
  ['killall', validateKillall],
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
  ['yarn', validateYarn],
  ['node', validateNode],
  ['printf', validatePrintf],
  ['wait', validateWait],
  ['test', validateTest],
  ['[', validateTest],
  ['set', validateSet],
  ['sort', validateSort],
  ['uniq', validateUniq],
  ['date', validateDate],
  ['ps', validatePs],
])

/**
 * Commands whose validator reads every argument itself (option allowlists that know which
 * values are data), so the generic rule for computed arguments leaves them alone.
 */
export const READS_ITS_OWN_ARGUMENTS: ReadonlySet<string> = new Set([
  'git',
  'curl',
  'npm',
  'npx',
  'pnpm',
  'yarn',
  'node',
  'find',
  'kill',
  'pkill',
  'killall',
  'sort',
  'uniq',
  'printf',
  'wait',
  'test',
  '[',
  'set',
  'bash',
  'sh',
])

const SHELL_OPTIONS = new Set(['pipefail', 'errexit', 'nounset', 'xtrace'])

/**
 * `bash`/`sh` run only a `-c` string that itself passes the policy, or the project's init.sh.
 * Without `-c` they would read commands from stdin or a script we cannot see (`curl … | sh`).
 * `sh` is dash here: its string must use only syntax dash and bash read alike.
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
    if (value === '--norc' || value === '--noprofile') continue
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
    return context.checkNested(operand, `${base} -c`, base === 'sh' ? 'sh' : 'bash')
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

const DECLARATION_FLAG = /^[-+][xrgaAlut]+$/
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * `export`/`local`/`declare`/`readonly`/`typeset`/`unset`: fixed plain names (a subscript is
 * arithmetic), no -n (nameref), -i (integer: values become arithmetic) or -f (functions), and
 * none of the variables that change what later commands run.
 */
export function checkDeclaration(
  name: string,
  args: readonly Word[],
  assignments: number,
): string | null {
  const names = args.filter((word) => !/^[-+]/.test(word.value ?? ''))
  if (names.length === 0 && assignments === 0 && name !== 'unset')
    return `${name} without a name prints every variable, secrets included; name the variable`
  for (const word of args) {
    const value = word.value
    if (value === null) return `${name} ${word.raw}: a name computed at run time`
    if (value.startsWith('-') || value.startsWith('+')) {
      if (name === 'unset' && /^-[fv]+$/.test(value)) continue
      if (!DECLARATION_FLAG.test(value))
        return `${name} ${value} is refused (-n, -i and -f evaluate values as names, arithmetic or functions)`
      continue
    }
    if (!VARIABLE_NAME.test(value))
      return `${name} ${value}: only plain variable names are supported`
    if (DANGEROUS_VARIABLE.test(value))
      return `${name} ${value}: that variable changes what later commands run`
  }
  return null
}
