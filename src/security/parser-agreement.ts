import { childrenOf, clip, type SyntaxNode } from './syntax.js'

/**
 * Checks that the tree tree-sitter built is the one bash would build. Each function returns a
 * problem (the command is denied) where they could disagree in a way that hides a command; all of
 * these were found by running allowed commands through bash with canary commands on PATH.
 */

export const TEST_EXPRESSIONS = new Set([
  'binary_expression',
  'unary_expression',
  'parenthesized_expression',
  'ternary_expression',
  'postfix_expression',
])

const SINGLE_BRACKET_BREAKS = new Set([
  '&',
  '|',
  ';',
  '&&',
  '||',
  '(',
  ')',
  '<',
  '>',
  '>>',
  '|&',
  ';;',
  '\n',
])
const DOUBLE_BRACKET_BREAKS = new Set(['&', '|', ';', '|&', ';;'])

/** Anonymous tokens inside a test, outside substitutions and strings. */
function testOperators(node: SyntaxNode): string[] {
  const out: string[] = []
  for (const { node: child } of childrenOf(node)) {
    if (!child.isNamed) out.push(child.type)
    else if (TEST_EXPRESSIONS.has(child.type)) out.push(...testOperators(child))
  }
  return out
}

/** `[ … ]` is a plain command for bash: a newline or `&`, `|`, `;`, `<`, `>` ends it. */
export function testCommandProblem(node: SyntaxNode): string | null {
  if (node.text.includes('\n'))
    return `a test ${JSON.stringify(clip(node.text))} spans lines; keep [ … ] and [[ … ]] on one line`
  const single = node.text.startsWith('[') && !node.text.startsWith('[[')
  const forbidden = single ? SINGLE_BRACKET_BREAKS : DOUBLE_BRACKET_BREAKS
  const breaking = testOperators(node).find((operator) => forbidden.has(operator))
  return breaking
    ? `bash would end the test ${JSON.stringify(clip(node.text))} at ${JSON.stringify(breaking)}`
    : null
}

/** A `#` starts a comment only at the start of a word (`\ #` and `\;#` are inside one). */
export function commentProblem(node: SyntaxNode, source: string): string | null {
  return startsWord(source, node.startIndex)
    ? null
    : `bash would not read ${JSON.stringify(clip(node.text))} as a comment (the # is inside a word)`
}

const WORD_CHILDREN = new Set([
  'command_name',
  'word',
  'string',
  'raw_string',
  'concatenation',
  'simple_expansion',
  'expansion',
  'command_substitution',
  'process_substitution',
  'number',
  'ansi_c_string',
  'translated_string',
  'variable_assignment',
  'arithmetic_expansion',
  'brace_expression',
])

/**
 * Two words of a command with nothing between them are one word to bash (`a=[[\;sh` is one
 * argument, tree-sitter reads two); such a split means the tree and bash disagree.
 */
export function wordBoundaryProblem(node: SyntaxNode, source: string): string | null {
  let previous: SyntaxNode | null = null
  let lastRedirect: SyntaxNode | null = null
  for (const { node: child } of childrenOf(node)) {
    const isWord =
      WORD_CHILDREN.has(child.type) ||
      (!child.isNamed && /^(export|local|declare|readonly|typeset|unset)$/.test(child.type))
    if (isWord && previous && !isWordGap(source.slice(previous.endIndex, child.startIndex))) {
      return `bash and the parser split ${JSON.stringify(clip(source.slice(previous.startIndex, child.endIndex)))} into words differently`
    }
    // a word glued to the end of a redirection (`>a[[\;sh`) is part of its target for bash
    if (isWord && previous === null && lastRedirect && lastRedirect.endIndex === child.startIndex) {
      return `bash would read ${JSON.stringify(clip(source.slice(lastRedirect.startIndex, child.endIndex)))} as one redirection target`
    }
    lastRedirect = child.type === 'file_redirect' ? child : null
    previous = isWord ? child : null
  }
  return null
}

/** Blanks between two words of one command: spaces or tabs, with line continuations removed. */
function isWordGap(gap: string): boolean {
  return /^[ \t]+$/.test(gap.replace(/\\\n/g, ''))
}

/**
 * Inside backticks bash removes the backslash of `\``, `\$`, `\\` (and `\"` in double quotes)
 * before it parses the text, so `echo \`echo \\\`cmd\\\`\`` runs cmd in a nested substitution that
 * tree-sitter keeps as a plain word. Such escapes inside backticks are refused; `$( )` nests
 * without them.
 */
export function backtickProblem(node: SyntaxNode): string | null {
  if (!node.text.startsWith('`')) return null
  return /\\[`$\\"]/.test(node.text.slice(1, -1))
    ? `backticks with escaped characters inside (${clip(node.text)}) are read differently by bash; use $( … ) instead`
    : null
}

/**
 * In a double-quoted `"${x:-'$(cmd)'}"` (also `-`, `:+`, `:=`, `:?`) bash keeps the single quotes
 * as text and runs cmd; tree-sitter reads a quoted string. `$'…'` there is not ANSI-C quoting
 * either. A quoted piece with `$` or a backtick inside a double-quoted expansion is refused.
 */
export function doubleQuotedExpansionProblem(node: SyntaxNode): string | null {
  const quoted = quotedPieces(node).find((piece) => /[$`]/.test(piece.text))
  return quoted
    ? `inside "…", bash does not read ${clip(quoted.text)} in ${clip(node.text)} as quoted and would expand it; drop the inner quotes or the outer double quotes`
    : null
}

/** `'…'` and `$'…'` pieces of an expansion's words (`${x:-a'…'b}`), not inside nested ones. */
function quotedPieces(node: SyntaxNode): SyntaxNode[] {
  return childrenOf(node).flatMap(({ node: child }) => {
    if (child.type === 'raw_string' || child.type === 'ansi_c_string') return [child]
    return child.type === 'concatenation' ? quotedPieces(child) : []
  })
}

const DELIMITER = /^([A-Za-z0-9_.-]+|'[A-Za-z0-9_.-]+'|"[A-Za-z0-9_.-]+"|\\[A-Za-z0-9_.-]+)$/

/**
 * Here-documents are where tree-sitter-bash and bash disagree most (`<<-` with tab-indented
 * lines, backslash-newline inside the body, quoted pieces in the delimiter). A here-document
 * passes only if its delimiter is a plain word, quoted as a whole or not at all; bash would not
 * end it earlier than the parser (the body has no delimiter line); and, when the delimiter is
 * unquoted (bash expands the body), the body expands nothing but plain `$name` / `${name}`.
 */
export function heredocProblem(node: SyntaxNode): string | null {
  const parts = childrenOf(node).map((child) => child.node)
  const start = parts.find((part) => part.type === 'heredoc_start')
  const body = parts.find((part) => part.type === 'heredoc_body')
  if (!start) return null
  if (!DELIMITER.test(start.text))
    return `the here-document delimiter ${JSON.stringify(clip(start.text))} is not a plain word; use <<'EOF' or <<EOF`
  const delimiter = start.text.replace(/['"\\]/g, '')
  const stripsTabs = parts.some((part) => part.type === '<<-')
  const text = body?.text ?? ''
  const lines = text.split('\n').map((line) => (stripsTabs ? line.replace(/^\t+/, '') : line))
  if (lines.includes(delimiter))
    return `the here-document ends at its first "${delimiter}" line for bash, earlier than the parser reads it`
  const quoted = /['"\\]/.test(start.text)
  if (!quoted && expandsMoreThanNames(text, stripsTabs))
    return "an unquoted here-document runs $(…), `…`, $((…)) and ${…} in its body; quote the delimiter (<<'EOF') to write the text as it is"
  return null
}

/** Backticks, `$(`, `$[` or a `${` other than `${name}` once line continuations are joined. */
function expandsMoreThanNames(body: string, stripsTabs: boolean): boolean {
  const variants = [body, stripTabs(body, stripsTabs)]
  return variants.some((text) => {
    const joined = text.replace(/\\\n/g, '')
    return (
      /[`]|\$[([]/.test(joined) || /\$\{(?![A-Za-z_][A-Za-z0-9_]*\}|[0-9#?$!@*-]\})/.test(joined)
    )
  })
}

function stripTabs(text: string, stripsTabs: boolean): string {
  return stripsTabs ? text.replace(/^\t+/gm, '') : text
}

/** Does a word start at `index`: after a line start, unescaped blank or operator character? */
function startsWord(source: string, index: number): boolean {
  if (index === 0) return true
  const previous = source[index - 1] ?? ''
  if (!' \t\n;&|()'.includes(previous)) return false
  let backslashes = 0
  for (let i = index - 2; i >= 0 && source[i] === '\\'; i--) backslashes++
  return backslashes % 2 === 0
}
