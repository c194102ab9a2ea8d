import type { CheckContext, Invocation, Validator } from './invocation.js'
import {
  operandWords,
  parseOptions,
  valuesOfKind,
  type OptionSpec,
  type Token,
} from './option-parser.js'
import { checkReadPath, checkWritePath } from './paths.js'
import type { Word } from './words.js'

const SORT: OptionSpec = {
  flags: [
    ...['-b', '-d', '-f', '-g', '-i', '-M', '-h', '-n', '-R', '-r', '-V', '-c', '-C', '-m', '-s'],
    ...['-u', '-z', '--ignore-leading-blanks', '--dictionary-order', '--ignore-case'],
    ...['--general-numeric-sort', '--ignore-nonprinting', '--month-sort', '--human-numeric-sort'],
    ...['--numeric-sort', '--random-sort', '--reverse', '--version-sort', '--check', '--merge'],
    ...['--stable', '--unique', '--zero-terminated', '--debug', '--help', '--version'],
  ],
  values: {
    '-k': 'text',
    '--key': 'text',
    '-t': 'text',
    '--field-separator': 'text',
    '-S': 'text',
    '--buffer-size': 'text',
    '--parallel': 'text',
    '--batch-size': 'text',
    '--sort': 'text',
    '-o': 'write',
    '--output': 'write',
    '-T': 'write',
    '--temporary-directory': 'write',
    '--random-source': 'read',
  },
  denied: {
    '--compress-program': 'it runs a program of your choice',
    '--files0-from': 'it reads file names the policy cannot check',
  },
}

const UNIQ: OptionSpec = {
  flags: [
    ...['-c', '-d', '-D', '-i', '-u', '-z', '--count', '--repeated', '--all-repeated'],
    ...['--group', '--ignore-case', '--unique', '--zero-terminated', '--help', '--version'],
  ],
  values: {
    '-f': 'text',
    '--skip-fields': 'text',
    '-s': 'text',
    '--skip-chars': 'text',
    '-w': 'text',
    '--check-chars': 'text',
  },
  optionalValues: ['--all-repeated', '--group'],
}

/** `sort`: only the options on its list; `-o`/`-T` stay inside the roots; files are read. */
export const validateSort: Validator = (invocation, context) => {
  const parsed = parseOptions(invocation.name, invocation.args, SORT)
  if (!parsed.ok) return parsed.reason
  return checkFiles(invocation, context, parsed.tokens, operandWords(parsed.tokens), [])
}

/** `uniq [IN [OUT]]`: OUT is written. */
export const validateUniq: Validator = (invocation, context) => {
  const parsed = parseOptions(invocation.name, invocation.args, UNIQ)
  if (!parsed.ok) return parsed.reason
  const [input, output, extra] = operandWords(parsed.tokens)
  if (extra) return `uniq takes at most an input and an output file (got ${extra.raw})`
  return checkFiles(
    invocation,
    context,
    parsed.tokens,
    input ? [input] : [],
    output ? [output] : [],
  )
}

/** Checks the files a text tool reads (operands, read options) and writes (write options). */
export function checkFiles(
  invocation: Invocation,
  context: CheckContext,
  tokens: readonly Token[],
  reads: readonly Word[],
  writes: readonly Word[],
): string | null {
  const { name } = invocation
  for (const { value } of valuesOfKind(tokens, 'write').concat(
    writes.map((value) => ({ name: '', value })),
  )) {
    if (value.value === '-') continue
    const reason = checkWritePath(value.pattern ? null : value.value, context.scope)
    if (reason) return `${name}: ${reason}`
  }
  for (const { value } of valuesOfKind(tokens, 'read').concat(
    reads.map((value) => ({ name: '', value })),
  )) {
    if (value.value === '-') continue
    const reason = checkReadPath(value.value, context.scope)
    if (reason) return `${name}: ${reason}`
  }
  return null
}
