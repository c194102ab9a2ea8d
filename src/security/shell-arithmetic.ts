import { childrenOf, clip, type SyntaxNode } from './syntax.js'
import { literalWord, toWord, type Word } from './words.js'

/**
 * Bash evaluates arithmetic recursively: a name's value is itself evaluated, and an array
 * subscript inside it runs command substitutions (`x='a[$(cmd)]'; (( x ))` runs cmd). So every
 * arithmetic context (`(( ))`, `$(( ))`, `$[ ]`, `for (( ))`, array subscripts, `${x:offset}`,
 * `[[ … -eq … ]]`) may hold only integer literals and the few special parameters that are
 * always integers. These functions return the problem, or null.
 */

const INTEGER = /^[+-]?(0[xX][0-9a-fA-F]+|[0-9]+)$/
/** `$?`, `$#`, `$$`, `$!`: bash sets them, always to integers. */
const INTEGER_PARAMETER = /^\$[?#$!]$|^\$\{[?#$!]\}$/
/** `${#name}` and `${#name[@]}`: lengths, always integers. */
const LENGTH = /^\$\{#[A-Za-z_][A-Za-z0-9_]*(\[[@*]\])?\}$/

/** Is this operand of an arithmetic comparison an integer whatever happens at run time? */
export function isIntegerOperand(node: SyntaxNode): boolean {
  if (node.type === 'number') return INTEGER.test(node.text)
  if (node.type === 'word' || node.type === 'raw_string') return INTEGER.test(unquote(node.text))
  if (node.type === 'string') {
    const inner = childrenOf(node).filter((child) => child.node.isNamed)
    return inner.length === 1 && inner[0] !== undefined && isIntegerOperand(inner[0].node)
  }
  return INTEGER_PARAMETER.test(node.text) || LENGTH.test(node.text)
}

function unquote(text: string): string {
  return /^'.*'$/s.test(text) ? text.slice(1, -1) : text
}

const NAME_REFERENCES = new Set([
  'variable_name',
  'simple_expansion',
  'expansion',
  'subscript',
  'word',
  'string',
  'raw_string',
  'concatenation',
])

/** An arithmetic expression that refers to anything but integer literals. */
export function arithmeticProblem(node: SyntaxNode): string | null {
  let refers = false
  visit(node, (child) => {
    if (NAME_REFERENCES.has(child.type) && !isIntegerOperand(child)) refers = true
    return child.type !== 'command_substitution'
  })
  return refers
    ? `arithmetic on variables or text (${clip(node.text)}) can run commands through array subscripts; use literal numbers`
    : null
}

/** `name[index]` in an expansion: the index is arithmetic; `@` and `*` list the elements. */
export function subscriptProblem(node: SyntaxNode): string | null {
  const index = childrenOf(node).find((child) => child.field === 'index')?.node
  if (!index || /^[@*]$/.test(index.text) || isIntegerOperand(index)) return null
  return `the array subscript in ${clip(node.text)} is arithmetic and can run commands; use literal numbers`
}

/** `${x:offset:length}`: offset and length are arithmetic. */
export function substringProblem(node: SyntaxNode): string | null {
  let afterColon = false
  for (const { node: child, field } of childrenOf(node)) {
    if (field === 'operator') {
      afterColon = child.text === ':'
      continue
    }
    if (afterColon && child.isNamed && !isIntegerOperand(child))
      return `the substring offset in ${clip(node.text)} is arithmetic and can run commands; use literal numbers`
  }
  return null
}

/** `a=([k]=v)`: each subscript is arithmetic (for indexed arrays); only literal numbers pass. */
export function arrayLiteralProblem(node: SyntaxNode): string | null {
  for (const { node: element } of childrenOf(node)) {
    if (!element.text.startsWith('[')) continue
    if (!/^\[[0-9]+\]=/.test(element.text))
      return `the array subscript in ${clip(element.text)} is arithmetic and can run commands; use literal numbers`
  }
  return null
}

/** The operands of `-eq`, `-ne`, `-lt`, `-le`, `-gt`, `-ge` inside `[[ ]]` are arithmetic. */
export function doubleBracketComparisonProblem(node: SyntaxNode): string | null {
  for (const { node: side, field } of childrenOf(node)) {
    if ((field === 'left' || field === 'right') && !isIntegerOperand(side)) {
      return `[[ … ${operatorOf(node)} … ]] evaluates ${clip(side.text)} as arithmetic, which can run commands; compare literal numbers, $? or \${#name}, or use [ ] or = instead`
    }
  }
  return null
}

export function operatorOf(node: SyntaxNode): string {
  return childrenOf(node).find((child) => child.field === 'operator')?.node.text ?? ''
}

const UNARY_TEST = /^(-[abcdefghkprstuwxGLNOSnz]|!)$/
const BINARY_TEST = /^(=|==|!=|<|>|-eq|-ne|-lt|-le|-gt|-ge|-nt|-ot|-ef)$/

/**
 * `test` and `[` take their structure from the expanded words: a computed word can become an
 * operator (`-v 'a[$(cmd)]'` runs cmd). Computed words may stand only where the structure is
 * already fixed: `[ X ]`, `[ OP X ]`, `[ X OP Y ]` with OP written out.
 */
export function testWordsProblem(name: string, words: readonly Word[]): string | null {
  const literal = words.map((word) => (word.value !== null && !word.pattern ? word.value : null))
  const refused = literal.find((value) => value === '-v' || value === '-R')
  if (refused) return `${name} ${refused} can run commands through array subscripts`
  if (literal.every((value) => value !== null)) return null
  const [first, second] = literal
  const fixed =
    words.length === 1 ||
    (words.length === 2 && first !== null && first !== undefined && UNARY_TEST.test(first)) ||
    (words.length === 3 && second !== null && second !== undefined && BINARY_TEST.test(second))
  return fixed
    ? null
    : `${name}: a value computed at run time could become an operator of the test (-v runs commands); write the test as [ "$x" = y ] or [ -f "$x" ]`
}

/** The words bash's `[` builtin receives, from tree-sitter's parsed `[ … ]`. */
export function singleBracketWords(node: SyntaxNode): Word[] {
  const out: Word[] = []
  for (const { node: child } of childrenOf(node)) {
    if (child.type === '[' || child.type === ']') continue
    if (!child.isNamed || child.type === 'test_operator') out.push(literalWord(child.text))
    else if (
      child.type === 'binary_expression' ||
      child.type === 'unary_expression' ||
      child.type === 'parenthesized_expression'
    )
      out.push(...singleBracketWords(child))
    else out.push(toWord(child))
  }
  return out
}

function visit(node: SyntaxNode, enter: (node: SyntaxNode) => boolean): void {
  for (const { node: child } of childrenOf(node)) {
    if (enter(child)) visit(child, enter)
  }
}
