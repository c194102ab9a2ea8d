import { childrenOf, type SyntaxNode } from './syntax.js'

/**
 * A shell word as the policy sees it: `value` is its text after quote removal when it is fixed
 * at parse time, or null when the shell computes it at run time (expansions, substitutions).
 */
export interface Word {
  readonly value: string | null
  readonly raw: string
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

/** Builds a `Word` from a node. */
export function toWord(node: SyntaxNode): Word {
  return { value: staticValue(node), raw: node.text }
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
export function hasUnquotedPattern(raw: string, onlyAtStart = false): boolean {
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
    if ('*?[{'.includes(ch)) return true
    if (onlyAtStart) return false
  }
  return false
}
