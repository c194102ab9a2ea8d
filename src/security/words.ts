import { childrenOf, type SyntaxNode } from './syntax.js'

/**
 * A shell word as the policy sees it: `value` is its text after quote removal when it is fixed
 * at parse time, or null when the shell computes it at run time (expansions, substitutions).
 */
export interface Word {
  readonly value: string | null
  readonly raw: string
  /**
   * The literal text before the first part the shell computes (an expansion, a substitution or
   * an unquoted wildcard); for a literal word, its whole value. Only this part is known before
   * the word runs, so only it may decide whether the word is an option.
   */
  readonly prefix: string
  /** An unquoted wildcard or brace pattern: the shell replaces the word with file names. */
  readonly pattern: boolean
  /**
   * An unquoted expansion or substitution (or a quoted `"$@"`, `"${a[@]}"`): the shell may make
   * several words of it, and every word after the first is wholly unknown (`http://h/$x` with
   * x='a -o /elsewhere' is two more arguments).
   */
  readonly splits: boolean
}

/** The static value of a word node, or null when it is computed at run time. */
export function staticValue(node: SyntaxNode): string | null {
  switch (node.type) {
    case 'word':
    case 'command_name':
      return node.type === 'command_name' ? commandNameValue(node) : unescapeUnquoted(node.text)
    case 'number':
    case 'variable_name':
    case 'file_descriptor':
    case 'special_variable_name':
      return node.text
    case 'raw_string':
      return node.text.slice(1, -1)
    case 'string':
      return doubleQuotedValue(node)
    case 'concatenation':
      return concatenationValue(node)
    default:
      // expansions, substitutions, $'..', $"..", brace expressions: computed at run time
      return null
  }
}

/** What bash puts in place of `<(…)` and `>(…)`: a pipe, never an option or a file name. */
const PROCESS_SUBSTITUTION_PATH = '/dev/fd/63'

/** Builds a `Word` from a node. */
export function toWord(node: SyntaxNode): Word {
  if (node.type === 'process_substitution') {
    const path = PROCESS_SUBSTITUTION_PATH
    return { value: path, raw: node.text, prefix: path, pattern: false, splits: false }
  }
  const value = staticValue(node)
  const pattern = hasUnquotedPattern(node.text)
  const prefix = value !== null && !pattern ? value : literalPrefix(node).text
  return { value, raw: node.text, prefix, pattern, splits: value === null && splitsIntoWords(node) }
}

/** A literal word (tests, synthetic arguments). */
export function literalWord(value: string): Word {
  return { value, raw: value, prefix: value, pattern: false, splits: false }
}

/** A word the shell computes at run time and whose every character is unknown. */
export function computedWord(raw: string): Word {
  return { value: null, raw, prefix: '', pattern: false, splits: true }
}

/** `"$@"`, `"${@:2}"`, `"${a[@]}"`, `"${!a[@]}"`: quoted, and still one word per element. */
const MANY_WORDS = /^\$\{?!?(@|[A-Za-z_][A-Za-z0-9_]*\[@\])/

/** Does the shell split the node's value into words (see `Word.splits`)? */
function splitsIntoWords(node: SyntaxNode, quoted = false): boolean {
  switch (node.type) {
    case 'simple_expansion':
    case 'expansion':
      return !quoted || MANY_WORDS.test(node.text)
    case 'command_substitution':
      return !quoted
    case 'string':
    case 'translated_string':
      return childrenOf(node).some(({ node: part }) => splitsIntoWords(part, true))
    case 'concatenation':
    case 'command_name':
      return childrenOf(node).some(({ node: part }) => splitsIntoWords(part, quoted))
    case 'word':
      // the parser leaves some expansions inside plain words
      return !quoted && hasHiddenExpansion(node.text)
    default:
      return false
  }
}

/**
 * Could the word add more words than one (a split expansion, or a pattern whose matches may
 * start with `-`)? Such a word may not be an option's value: the words after it would be read as
 * options or operands the policy never saw.
 */
export function mayAddWords(word: Word): boolean {
  return word.splits || (word.pattern && mayBeOption(word))
}

/** Is the whole word known before it runs (no expansion, substitution or wildcard)? */
export function isLiteral(word: Word): boolean {
  return word.value !== null && !word.pattern
}

/**
 * Could the word be an option once the shell has expanded it? A literal word is an option when
 * it starts with `-`; a computed one may be unless its literal prefix starts with something else
 * and the shell does not split it (the words after the first are unknown).
 */
export function mayBeOption(word: Word): boolean {
  if (isLiteral(word)) return (word.value ?? '').startsWith('-') && word.value !== '-'
  return word.splits || word.prefix === '' || word.prefix.startsWith('-')
}

interface Prefix {
  readonly text: string
  /** False once a computed part was met: nothing after it is known. */
  readonly complete: boolean
}

/** The literal start of a word, up to its first expansion, substitution or unquoted wildcard. */
function literalPrefix(node: SyntaxNode): Prefix {
  switch (node.type) {
    case 'word':
    case 'command_name':
      return node.type === 'command_name' && node.childCount === 1 && node.child(0)
        ? literalPrefix(node.child(0) as SyntaxNode)
        : unquotedPrefix(node.text)
    case 'number':
      return { text: node.text, complete: true }
    case 'raw_string':
      return { text: node.text.slice(1, -1), complete: true }
    case 'string':
      return doubleQuotedPrefix(node)
    case 'concatenation': {
      let text = ''
      for (const { node: part } of childrenOf(node)) {
        const piece = literalPrefix(part)
        text += piece.text
        if (!piece.complete) return { text, complete: false }
      }
      return { text, complete: true }
    }
    default:
      return { text: '', complete: false }
  }
}

/** Unquoted text up to the first wildcard or brace (`\*` is a literal star). */
function unquotedPrefix(text: string): Prefix {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? ''
    if (ch === '\\') {
      const next = text[i + 1]
      if (next === undefined) return { text: out, complete: false }
      if (next !== '\n') out += next
      i++
      continue
    }
    if ('*?[{$`'.includes(ch)) return { text: out, complete: false }
    out += ch
  }
  return { text: out, complete: true }
}

function doubleQuotedPrefix(node: SyntaxNode): Prefix {
  let text = ''
  for (const { node: part } of childrenOf(node)) {
    if (!part.isNamed) {
      if (part.type === '"') continue
      if (hasHiddenExpansion(part.text)) return { text, complete: false }
      text += part.text
      continue
    }
    if (part.type !== 'string_content' || hasHiddenExpansion(part.text))
      return { text, complete: false }
    text += part.text.replace(/\\([$`"\\\n])/g, (_m, ch: string) => (ch === '\n' ? '' : ch))
  }
  return { text, complete: true }
}

function commandNameValue(node: SyntaxNode): string | null {
  const only = node.childCount === 1 ? node.child(0) : null
  return only ? staticValue(only) : null
}

function concatenationValue(node: SyntaxNode): string | null {
  let out = ''
  for (const { node: part } of childrenOf(node)) {
    const value = staticValue(part)
    if (value === null) return null
    out += value
  }
  return out
}

function doubleQuotedValue(node: SyntaxNode): string | null {
  for (const { node: part } of childrenOf(node)) {
    if (part.isNamed && part.type !== 'string_content') return null
  }
  // the text between the quotes, so newlines and other anonymous tokens are kept
  const inner = node.text.slice(1, -1)
  if (hasHiddenExpansion(inner)) return null
  return inner.replace(/\\([$`"\\\n])/g, (_m, ch: string) => (ch === '\n' ? '' : ch))
}

/** Removes backslash escapes of an unquoted word; a backslash-newline joins lines. */
function unescapeUnquoted(text: string): string {
  if (!text.includes('\\')) return text
  return text.replace(/\\(\n|.)/gs, (_m, ch: string) => (ch === '\n' ? '' : ch))
}

/** An unescaped backtick, `$(`, `$[`, `${` or `$name` in text the parser treated as literal. */
export function hasHiddenExpansion(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === '\\') {
      i++
      continue
    }
    if (ch === '`') return true
    if (ch === '$' && /[A-Za-z0-9_{([@*#?$!-]/.test(text[i + 1] ?? '')) return true
  }
  return false
}

/**
 * Does the word hold a glob or brace character outside quotes (`*`, `?`, `[`, `{`)? Such a word
 * becomes file names at run time, which the agent may have chosen (`touch -- '-c'`).
 */
export function hasUnquotedPattern(raw: string, onlyAtStart = false, characters = '*?[{'): boolean {
  let quote: string | null = null
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] ?? ''
    if (quote === null && ch === '\\') {
      i++
      continue
    }
    if (quote === "'") {
      if (ch === "'") quote = null
      continue
    }
    if (quote === '"') {
      if (ch === '\\') i++
      else if (ch === '"') quote = null
      continue
    }
    if (ch === "'" || ch === '"') {
      if (onlyAtStart) return false
      quote = ch
      continue
    }
    if (characters.includes(ch)) return true
    if (onlyAtStart) return false
  }
  return false
}

/**
 * A `*` or `?` outside quotes in a path that is written: the shell picks the files, and a
 * symbolic link among them would be followed (`echo x > l*`), so the path cannot be checked.
 */
export function writesThroughWildcard(word: Word): boolean {
  return hasUnquotedPattern(word.raw, false, '*?')
}
