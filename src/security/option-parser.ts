import { computedReason } from './computed-arguments.js'
import { isLiteral, literalWord, mayAddWords, mayBeOption, type Word } from './words.js'

/**
 * What an option's value is: `text` is data (may be computed), `read`/`write` a file the command
 * opens (must be literal; the caller checks it), `program` names something that runs (refused).
 */
export type ValueKind = 'text' | 'read' | 'write'

/** The options a command accepts; anything else is refused (an allowlist, not a blocklist). */
export interface OptionSpec {
  /** Options without a value (`-s`, `--silent`). */
  readonly flags: readonly string[]
  /** Options with a value (`-o FILE`, `--output=FILE`, `-oFILE`) and what the value is. */
  readonly values?: Readonly<Record<string, ValueKind>>
  /** Options refused with a reason (clearer than "not on the allowlist"). */
  readonly denied?: Readonly<Record<string, string>>
  /** `-5` style numeric options (git log -5, kill -9). */
  readonly numeric?: boolean
  /** Long options whose name is a prefix: `--pretty` accepts `--pretty=oneline` and `--pretty`. */
  readonly optionalValues?: readonly string[]
}

export type Token =
  | {
      readonly kind: 'option'
      readonly name: string
      readonly value?: Word
      readonly kindOf?: ValueKind
    }
  | { readonly kind: 'operand'; readonly word: Word; readonly afterDashDash: boolean }

export type Parsed = { ok: true; tokens: Token[] } | { ok: false; reason: string }

/**
 * Splits words into options and operands by `spec`, GNU style: options may come anywhere before
 * `--`, short flags cluster (`-sSL`), a short option's value may be glued (`-ofile`), a long
 * one's follow `=`. A computed word that could become an option is refused; one whose literal
 * prefix rules that out is an operand.
 */
export function parseOptions(label: string, words: readonly Word[], spec: OptionSpec): Parsed {
  const tokens: Token[] = []
  let afterDashDash = false
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as Word
    if (afterDashDash || !mayBeOption(word)) {
      tokens.push({ kind: 'operand', word, afterDashDash })
      continue
    }
    if (!isLiteral(word)) {
      const long = /^(--[A-Za-z0-9][A-Za-z0-9-]*)=/.exec(word.prefix)?.[1]
      if (long && spec.values?.[long] === 'text' && !word.splits) {
        tokens.push({ kind: 'option', name: long, value: word, kindOf: 'text' })
        continue
      }
      return { ok: false, reason: computedReason(label, word) }
    }
    const value = word.value ?? ''
    if (value === '--') {
      afterDashDash = true
      continue
    }
    const next = words[i + 1]
    const result = value.startsWith('--')
      ? longOption(label, value, next, spec)
      : shortOptions(label, value, next, spec)
    if (typeof result === 'string') return { ok: false, reason: result }
    tokens.push(...result.tokens)
    i += result.consumed
  }
  return { ok: true, tokens }
}

interface Step {
  readonly tokens: Token[]
  /** Extra words used as a value (0 or 1). */
  readonly consumed: number
}

function longOption(
  label: string,
  value: string,
  next: Word | undefined,
  spec: OptionSpec,
): Step | string {
  const equals = value.indexOf('=')
  const name = equals === -1 ? value : value.slice(0, equals)
  const denied = spec.denied?.[name]
  if (denied !== undefined) return `${label} ${name} is refused: ${denied}`
  const kind = spec.values?.[name]
  if (kind !== undefined) {
    if (equals !== -1)
      return { tokens: [option(name, literalWord(value.slice(equals + 1)), kind)], consumed: 0 }
    if (spec.optionalValues?.includes(name))
      return { tokens: [{ kind: 'option', name }], consumed: 0 }
    return separateValue(label, name, next, kind)
  }
  if (spec.flags.includes(name) && equals === -1)
    return { tokens: [{ kind: 'option', name }], consumed: 0 }
  return notAllowed(label, name)
}

function shortOptions(
  label: string,
  value: string,
  next: Word | undefined,
  spec: OptionSpec,
): Step | string {
  if (spec.numeric && /^-\d+$/.test(value))
    return { tokens: [{ kind: 'option', name: value }], consumed: 0 }
  const whole = shortWhole(label, value, spec)
  if (whole) return whole
  const tokens: Token[] = []
  for (let i = 1; i < value.length; i++) {
    const name = `-${value[i] ?? ''}`
    const denied = spec.denied?.[name]
    if (denied !== undefined) return `${label} ${name} is refused: ${denied}`
    const kind = spec.values?.[name]
    if (kind !== undefined) {
      const rest = value.slice(i + 1)
      if (rest !== '')
        return { tokens: [...tokens, option(name, literalWord(rest), kind)], consumed: 0 }
      const step = separateValue(label, name, next, kind)
      return typeof step === 'string' ? step : { tokens: [...tokens, ...step.tokens], consumed: 1 }
    }
    if (!spec.flags.includes(name)) return notAllowed(label, name)
    tokens.push({ kind: 'option', name })
  }
  return { tokens, consumed: 0 }
}

/** Single-dash long options some tools have (`find -name`, `node -pe`): matched whole first. */
function shortWhole(label: string, value: string, spec: OptionSpec): Step | string | null {
  if (value.length <= 2) return null
  const denied = spec.denied?.[value]
  if (denied !== undefined) return `${label} ${value} is refused: ${denied}`
  if (spec.flags.includes(value)) return { tokens: [{ kind: 'option', name: value }], consumed: 0 }
  return null
}

/** `-n VALUE`: the next word, which must stay one word (`-n $n` with n='1 --output=/x' is two). */
function separateValue(
  label: string,
  name: string,
  next: Word | undefined,
  kind: ValueKind,
): Step | string {
  if (next === undefined) return `${label} ${name} needs a value`
  if (mayAddWords(next))
    return `${label} ${name} ${next.raw}: the shell may split the value into several words, and the ones after the first would be options or operands the policy never saw; quote it ("$x")`
  return { tokens: [option(name, next, kind)], consumed: 1 }
}

function option(name: string, value: Word, kindOf: ValueKind): Token {
  return { kind: 'option', name, value, kindOf }
}

function notAllowed(label: string, name: string): string {
  return `${label} ${name} is not on the list of options the policy allows for ${label}`
}

/** The operand words of a parse. */
export function operandWords(tokens: readonly Token[]): Word[] {
  return tokens.flatMap((token) => (token.kind === 'operand' ? [token.word] : []))
}

/** The option tokens with a value of the given kind. */
export function valuesOfKind(
  tokens: readonly Token[],
  kind: ValueKind,
): { name: string; value: Word }[] {
  const out: { name: string; value: Word }[] = []
  for (const token of tokens) {
    if (token.kind === 'option' && token.kindOf === kind && token.value)
      out.push({ name: token.name, value: token.value })
  }
  return out
}

/** Does the parse hold this option (by any of its names)? */
export function hasOption(tokens: readonly Token[], ...names: string[]): boolean {
  return tokens.some((token) => token.kind === 'option' && names.includes(token.name))
}
