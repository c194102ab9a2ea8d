import {
  commentProblem,
  heredocEndProblem,
  TEST_EXPRESSIONS,
  testCommandProblem,
  wordBoundaryProblem,
} from './parser-agreement.js'
import { childrenOf, clip, type SyntaxNode } from './syntax.js'
import { hasHiddenExpansion, staticValue, toWord, type Word } from './words.js'

/** A variable assignment (`NAME=value`), before a command or on its own. */
export interface Assignment {
  readonly name: string
  readonly raw: string
}

/** One simple command that would run: its name, arguments and prefix assignments. */
export interface ShellCommand {
  readonly name: Word
  readonly args: readonly Word[]
  readonly assignments: readonly Assignment[]
  /** True when its standard input comes from a pipe (not first in a pipeline, or inside `>(…)`). */
  readonly pipedInput: boolean
  /** `export`, `local`, `declare`, `unset`…: shell builtins that only set variables. */
  readonly isDeclaration: boolean
  readonly text: string
}

/** A redirection that names a file (descriptor duplications such as `2>&1` are left out). */
export interface Redirect {
  readonly operator: string
  readonly target: Word
  readonly text: string
}

/** Everything that would run or be written, found by walking the whole syntax tree. */
export interface ShellAnalysis {
  readonly commands: ShellCommand[]
  readonly redirects: Redirect[]
  readonly assignments: Assignment[]
  /** Names of shell functions the command defines (calling them runs their checked bodies). */
  readonly functions: Set<string>
  /** Syntax the policy does not understand; any entry means the command is denied. */
  readonly problems: string[]
}

const MAX_DEPTH = 100

/** Node types that only group other statements or words; their children are walked. */
const CONTAINERS = new Set([
  'program',
  'list',
  'compound_statement',
  'subshell',
  'do_group',
  'if_statement',
  'elif_clause',
  'else_clause',
  'while_statement',
  'for_statement',
  'case_statement',
  'case_item',
  'negated_command',
  'variable_assignments',
  'heredoc_body',
  'concatenation',
  'array',
])

/** Leaves that never run anything by themselves. */
const LEAVES = new Set([
  'word',
  'number',
  'raw_string',
  'string_content',
  'ansi_c_string',
  'translated_string',
  'simple_expansion',
  'variable_name',
  'special_variable_name',
  'extglob_pattern',
  'regex',
  'heredoc_content',
  'heredoc_start',
  'heredoc_end',
  'file_descriptor',
  'test_operator',
  'comment',
  'brace_expression',
])

/**
 * Leaves whose text bash still expands. tree-sitter-bash sometimes leaves a substitution inside
 * them as plain text (`${x:=`cmd`}`); such a leaf means the tree and bash disagree.
 */
const EXPANDED_LEAVES = new Set([
  'word',
  'regex',
  'extglob_pattern',
  'string_content',
  'heredoc_content',
])

const ARITHMETIC_COMPARISONS = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge'])

/**
 * Walks a bash syntax tree and collects every simple command (including those inside
 * substitutions, subshells, functions, conditionals and loops), every file redirection and every
 * assignment. Pure: the tree comes from the caller.
 */
export function analyzeShell(root: SyntaxNode, source: string): ShellAnalysis {
  const analysis: ShellAnalysis = {
    commands: [],
    redirects: [],
    assignments: [],
    functions: new Set(),
    problems: [],
  }
  if (root.hasError) analysis.problems.push('the command does not parse as bash')
  walk(root, { piped: false, depth: 0, source }, analysis)
  return analysis
}

interface WalkState {
  readonly piped: boolean
  readonly depth: number
  readonly source: string
}

function walk(node: SyntaxNode, state: WalkState, out: ShellAnalysis): void {
  if (state.depth > MAX_DEPTH) {
    out.problems.push('the command is nested too deeply to check')
    return
  }
  if (node.isError || node.isMissing) {
    out.problems.push(`cannot parse ${JSON.stringify(clip(node.text))}`)
    return
  }
  if (!node.isNamed) return
  const next: WalkState = { ...state, depth: state.depth + 1 }
  const type = node.type
  if (type === 'compound_statement' && node.child(0)?.type === '((')
    return walkArithmetic(node, next, out)
  if (CONTAINERS.has(type)) return walkChildren(node, next, out)
  if (type === 'comment') {
    const problem = commentProblem(node, state.source)
    if (problem) out.problems.push(problem)
    return
  }
  if (LEAVES.has(type)) {
    if (EXPANDED_LEAVES.has(type) && hasHiddenExpansion(node.text)) {
      out.problems.push(
        `the parser kept ${JSON.stringify(clip(node.text))} as plain text, but the shell would expand it`,
      )
    }
    return
  }
  switch (type) {
    case 'pipeline':
      return walkPipeline(node, next, out)
    case 'redirected_statement':
      return walkChildren(node, next, out)
    case 'function_definition':
      return walkFunction(node, next, out)
    case 'command':
      return walkCommand(node, next, out)
    case 'declaration_command':
    case 'unset_command':
      return walkDeclaration(node, next, out)
    case 'variable_assignment':
      return walkAssignment(node, next, out)
    case 'file_redirect':
      return walkFileRedirect(node, next, out)
    case 'heredoc_redirect': {
      const problem = heredocEndProblem(node)
      if (problem) out.problems.push(problem)
      return walkChildren(node, next, out)
    }
    case 'herestring_redirect':
      return walkChildren(node, next, out)
    case 'command_substitution':
      return walkChildren(node, { ...next, piped: false }, out)
    case 'process_substitution':
      // `>(cmd)` feeds cmd from a pipe; `<(cmd)` does not
      return walkChildren(node, { ...next, piped: node.text.startsWith('>(') }, out)
    case 'expansion':
      return walkExpansion(node, next, out)
    case 'string':
      return walkString(node, next, out)
    case 'test_command':
      return walkTest(node, next, out)
    case 'arithmetic_expansion':
    case 'c_style_for_statement':
    case 'binary_expression':
    case 'unary_expression':
    case 'ternary_expression':
    case 'postfix_expression':
    case 'parenthesized_expression':
    case 'subscript':
      return walkArithmetic(node, next, out)
    default:
      out.problems.push(`unsupported shell syntax (${type}) in ${JSON.stringify(clip(node.text))}`)
  }
}

function walkChildren(node: SyntaxNode, state: WalkState, out: ShellAnalysis): void {
  for (const { node: child } of childrenOf(node)) walk(child, state, out)
}

/** Double-quoted strings: anonymous pieces (newlines, lone `$`) must not hide an expansion. */
function walkString(node: SyntaxNode, state: WalkState, out: ShellAnalysis): void {
  for (const { node: child } of childrenOf(node)) {
    if (!child.isNamed && child.type !== '"' && hasHiddenExpansion(child.text)) {
      out.problems.push(
        `the parser kept ${JSON.stringify(clip(child.text))} as plain text, but the shell would expand it`,
      )
    }
    walk(child, state, out)
  }
}

function walkFunction(node: SyntaxNode, state: WalkState, out: ShellAnalysis): void {
  const name = childrenOf(node).find((child) => child.field === 'name')?.node
  const value = name ? staticValue(name) : null
  if (value === null) {
    out.problems.push(`a function name computed at run time in ${JSON.stringify(clip(node.text))}`)
    return
  }
  out.functions.add(value)
  walkChildren(node, state, out)
}

function walkPipeline(node: SyntaxNode, state: WalkState, out: ShellAnalysis): void {
  let first = true
  for (const { node: child } of childrenOf(node)) {
    if (!child.isNamed) continue
    walk(child, { ...state, piped: state.piped || !first }, out)
    first = false
  }
}

function walkCommand(node: SyntaxNode, state: WalkState, out: ShellAnalysis): void {
  let name: Word | null = null
  const args: Word[] = []
  const assignments: Assignment[] = []
  const split = wordBoundaryProblem(node, state.source)
  if (split) out.problems.push(split)
  for (const { node: child, field } of childrenOf(node)) {
    if (field === 'name') {
      name = toWord(child)
      walkChildren(child, state, out)
    } else if (child.type === 'variable_assignment') {
      assignments.push(assignmentOf(child))
      walkChildren(child, state, out)
    } else if (field === 'argument') {
      args.push(toWord(child))
      walk(child, state, out)
    } else {
      walk(child, state, out)
    }
  }
  if (!name) {
    out.problems.push(`no command name in ${JSON.stringify(clip(node.text))}`)
    return
  }
  out.commands.push({
    name,
    args,
    assignments,
    pipedInput: state.piped,
    isDeclaration: false,
    text: node.text,
  })
}

function walkDeclaration(node: SyntaxNode, state: WalkState, out: ShellAnalysis): void {
  const split = wordBoundaryProblem(node, state.source)
  if (split) out.problems.push(split)
  const [keyword, ...rest] = childrenOf(node)
  const args: Word[] = []
  const assignments: Assignment[] = []
  for (const { node: child } of rest) {
    if (child.type === 'variable_assignment') {
      assignments.push(assignmentOf(child))
      walkChildren(child, state, out)
    } else {
      args.push(toWord(child))
      walk(child, state, out)
    }
  }
  const name: Word = { value: keyword?.node.text ?? null, raw: keyword?.node.text ?? '' }
  out.assignments.push(...assignments)
  out.commands.push({
    name,
    args,
    assignments,
    pipedInput: state.piped,
    isDeclaration: true,
    text: node.text,
  })
}

function walkAssignment(node: SyntaxNode, state: WalkState, out: ShellAnalysis): void {
  out.assignments.push(assignmentOf(node))
  walkChildren(node, state, out)
}

function assignmentOf(node: SyntaxNode): Assignment {
  const nameNode = childrenOf(node).find((c) => c.field === 'name')?.node
  return { name: nameNode ? nameNode.text : node.text, raw: node.text }
}

function walkFileRedirect(node: SyntaxNode, state: WalkState, out: ShellAnalysis): void {
  let operator = ''
  let destination: SyntaxNode | null = null
  for (const { node: child, field } of childrenOf(node)) {
    if (field === 'destination' && destination) {
      out.problems.push(
        `bash would read ${JSON.stringify(clip(node.text))} as one redirection target, the parser as two`,
      )
      return
    }
    if (field === 'destination') destination = child
    else if (!child.isNamed) operator += child.type
  }
  if (!destination) {
    // `>&-` closes a descriptor; nothing is written
    return
  }
  walk(destination, state, out)
  // `> >(cmd)` writes into a pipe to cmd, which was checked like any command
  if (destination.type === 'process_substitution') return
  const target = toWord(destination)
  const isDuplication =
    (operator === '>&' || operator === '<&') && /^(\d+|-)$/.test(target.value ?? '')
  if (!isDuplication) out.redirects.push({ operator, target, text: node.text })
}

/** `${!name}` (indirection) and `${name@P}` (prompt expansion) evaluate a variable's text as code. */
function walkExpansion(node: SyntaxNode, state: WalkState, out: ShellAnalysis): void {
  if (node.text.startsWith('${!') || /@[A-Za-z]\}$/.test(node.text)) {
    out.problems.push(
      `indirect expansion ${clip(node.text)} can run commands; name the variable directly`,
    )
  }
  walkChildren(node, state, out)
}

/** `[ … ]` and `[[ … ]]`: operands are words (not arithmetic) except for -eq/-lt/…; -v is refused. */
function walkTest(node: SyntaxNode, state: WalkState, out: ShellAnalysis): void {
  const disagreement = node.type === 'test_command' ? testCommandProblem(node) : null
  if (disagreement) {
    out.problems.push(disagreement)
    return
  }
  for (const { node: child } of childrenOf(node)) {
    if (!child.isNamed) continue
    if (child.type === 'test_operator' && child.text === '-v') {
      out.problems.push(
        '`-v` tests can run commands through array subscripts; test the value instead',
      )
    }
    if (child.type === 'binary_expression') {
      const operator = childrenOf(child).find((c) => c.field === 'operator')?.node.text ?? ''
      if (ARITHMETIC_COMPARISONS.has(operator)) checkArithmeticOperands(child, out)
    }
    if (TEST_EXPRESSIONS.has(child.type)) walkTest(child, state, out)
    else walk(child, state, out)
  }
}

function checkArithmeticOperands(node: SyntaxNode, out: ShellAnalysis): void {
  for (const { node: side, field } of childrenOf(node)) {
    if ((field === 'left' || field === 'right') && staticValue(side) === null) {
      out.problems.push(
        `arithmetic comparison on a computed value (${clip(node.text)}) can run commands; compare strings with = instead`,
      )
      return
    }
  }
}

/**
 * Bash evaluates variables inside arithmetic recursively, so `x='a[$(cmd)]'; (( x ))` runs cmd.
 * Arithmetic on literal numbers is fine; arithmetic on variables is refused.
 */
function walkArithmetic(node: SyntaxNode, state: WalkState, out: ShellAnalysis): void {
  let refersToVariable = false
  visitExpression(node, (child) => {
    if (
      ['variable_name', 'simple_expansion', 'expansion', 'subscript', 'word'].includes(child.type)
    ) {
      refersToVariable = true
    }
  })
  if (refersToVariable) {
    out.problems.push(
      `arithmetic on variables (${clip(node.text)}) can run commands through array subscripts; use literal numbers`,
    )
  }
  for (const { node: child } of childrenOf(node)) {
    if (child.type === 'command_substitution' || child.type === 'do_group') walk(child, state, out)
    else if (child.isNamed) walkArithmeticChild(child, state, out)
  }
}

function walkArithmeticChild(node: SyntaxNode, state: WalkState, out: ShellAnalysis): void {
  if (node.type === 'number' || node.type === 'variable_assignment')
    return walkChildren(node, state, out)
  walk(node, state, out)
}

function visitExpression(node: SyntaxNode, visit: (node: SyntaxNode) => void): void {
  for (const { node: child } of childrenOf(node)) {
    visit(child)
    if (child.type !== 'command_substitution') visitExpression(child, visit)
  }
}
