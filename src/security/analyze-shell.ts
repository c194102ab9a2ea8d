import { SECRET_NAME } from './command-lists.js'
import {
  backtickProblem,
  commentProblem,
  doubleQuotedExpansionProblem,
  heredocProblem,
  TEST_EXPRESSIONS,
  testCommandProblem,
  wordBoundaryProblem,
} from './parser-agreement.js'
import { shDialectProblem } from './sh-dialect.js'
import { CONTAINERS, EXPANDED_LEAVES, LEAVES } from './shell-node-types.js'
import {
  arithmeticProblem,
  arrayLiteralProblem,
  doubleBracketComparisonProblem,
  operatorOf,
  singleBracketWords,
  subscriptProblem,
  substringProblem,
  testWordsProblem,
} from './shell-arithmetic.js'
import { childrenOf, clip, type SyntaxNode } from './syntax.js'
import { hasHiddenExpansion, literalWord, staticValue, toWord, type Word } from './words.js'

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
  /** The simple command whose output feeds this one through a pipe (`lsof -ti :3000 | …`). */
  readonly producer: ShellCommand | null
  /** `export`, `local`, `declare`, `unset`…: shell builtins that only set variables. */
  readonly isDeclaration: boolean
  readonly text: string
}

/** A redirection that names a file (descriptor duplications such as `2>&1` are left out). */
export interface Redirect {
  readonly operator: string
  readonly target: Word
  readonly text: string
  /** The simple command the redirection belongs to; it opens before that command runs. */
  owner: ShellCommand | null
}

/** Which shell reads the text: `sh` (dash) lacks much of bash's syntax and reads some differently. */
export type ShellDialect = 'bash' | 'sh'

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

const ARITHMETIC_COMPARISONS = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge'])
const REDIRECTS = new Set(['file_redirect', 'heredoc_redirect', 'herestring_redirect'])

/**
 * Walks a bash syntax tree and collects every simple command (including those inside
 * substitutions, subshells, functions, conditionals and loops), every file redirection and every
 * assignment. Pure: the tree comes from the caller.
 */
export function analyzeShell(
  root: SyntaxNode,
  source: string,
  dialect: ShellDialect = 'bash',
): ShellAnalysis {
  const analysis: ShellAnalysis = {
    commands: [],
    redirects: [],
    assignments: [],
    functions: new Set(),
    problems: [],
  }
  if (root.hasError) analysis.problems.push('the command does not parse as bash')
  const dialectProblem = dialect === 'sh' ? shDialectProblem(root, source) : null
  if (dialectProblem) analysis.problems.push(dialectProblem)
  walk(root, { piped: false, producer: null, depth: 0, source, doubleQuoted: false }, analysis)
  return analysis
}

interface WalkState {
  readonly piped: boolean
  readonly producer: ShellCommand | null
  readonly depth: number
  readonly source: string
  /** Inside "…" (not reset by ${…}, reset by $(…)): quotes inside ${x:-…} are plain text there. */
  readonly doubleQuoted: boolean
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
  if (type === 'array') problem(out, arrayLiteralProblem(node))
  if (type === 'for_statement') loopVariable(node, out)
  if (CONTAINERS.has(type)) return walkChildren(node, next, out)
  if (type === 'comment') {
    const problem = commentProblem(node, state.source)
    if (problem) out.problems.push(problem)
    return
  }
  if (type === 'simple_expansion') problem(out, secretProblem(node))
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
      return walkRedirected(node, next, out)
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
    case 'heredoc_redirect':
      problem(out, heredocProblem(node))
      return walkChildren(node, next, out)
    case 'herestring_redirect':
      return walkChildren(node, next, out)
    case 'command_substitution':
      problem(out, backtickProblem(node))
      return walkChildren(node, { ...next, piped: false, producer: null, doubleQuoted: false }, out)
    case 'process_substitution':
      // `>(cmd)` feeds cmd from a pipe; `<(cmd)` does not
      return walkChildren(
        node,
        { ...next, piped: node.text.startsWith('>('), producer: null, doubleQuoted: false },
        out,
      )
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
      return walkArithmetic(node, next, out)
    case 'subscript':
      problem(out, subscriptProblem(node))
      return walkArithmeticChildren(node, next, out)
    default:
      out.problems.push(`unsupported shell syntax (${type}) in ${JSON.stringify(clip(node.text))}`)
  }
}

function walkChildren(node: SyntaxNode, state: WalkState, out: ShellAnalysis): void {
  for (const { node: child } of childrenOf(node)) walk(child, state, out)
}

/** `for NAME in …` assigns NAME (`for PATH in dir; do ls; done` runs dir/ls). */
function loopVariable(node: SyntaxNode, out: ShellAnalysis): void {
  const variable = childrenOf(node).find((child) => child.field === 'variable')?.node
  if (variable) out.assignments.push({ name: variable.text, raw: `${variable.text}=${node.text}` })
}

/** `$ANTHROPIC_API_KEY`, `${GITHUB_TOKEN}`: expanding them would show a secret to the model. */
function secretProblem(node: SyntaxNode): string | null {
  const name = childrenOf(node).find((child) => child.node.type === 'variable_name')?.node.text
  return name && SECRET_NAME.test(name)
    ? `$${name} looks like a credential; expanding it would show it to the model`
    : null
}

function problem(out: ShellAnalysis, found: string | null): void {
  if (found) out.problems.push(found)
}

/** `cmd >out`: the redirections belong to cmd when the body is a simple command. */
function walkRedirected(node: SyntaxNode, state: WalkState, out: ShellAnalysis): void {
  const firstRedirect = out.redirects.length
  let owner: ShellCommand | null = null
  for (const { node: child, field } of childrenOf(node)) {
    walk(child, state, out)
    if (field === 'body' && child.type === 'command') owner = out.commands.at(-1) ?? null
  }
  for (const redirect of out.redirects.slice(firstRedirect)) redirect.owner ??= owner
}

/** Double-quoted strings: anonymous pieces (newlines, lone `$`) must not hide an expansion. */
function walkString(node: SyntaxNode, state: WalkState, out: ShellAnalysis): void {
  for (const { node: child } of childrenOf(node)) {
    if (!child.isNamed && child.type !== '"' && hasHiddenExpansion(child.text)) {
      out.problems.push(
        `the parser kept ${JSON.stringify(clip(child.text))} as plain text, but the shell would expand it`,
      )
    }
    walk(child, { ...state, doubleQuoted: true }, out)
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
  let producer: ShellCommand | null = null
  for (const { node: child } of childrenOf(node)) {
    if (!child.isNamed) continue
    walk(child, { ...state, piped: state.piped || !first, producer }, out)
    first = false
    const simple =
      child.type === 'command' ||
      (child.type === 'redirected_statement' &&
        childrenOf(child).some((part) => part.field === 'body' && part.node.type === 'command'))
    producer = simple ? (out.commands.at(-1) ?? null) : null
  }
}

function walkCommand(node: SyntaxNode, state: WalkState, out: ShellAnalysis): void {
  let name: Word | null = null
  const args: Word[] = []
  const assignments: Assignment[] = []
  const split = wordBoundaryProblem(node, state.source)
  if (split) out.problems.push(split)
  const inner: WalkState = { ...state, producer: null }
  const owned: Redirect[] = []
  for (const { node: child, field } of childrenOf(node)) {
    if (field === 'name') {
      name = toWord(child)
      walkChildren(child, inner, out)
    } else if (child.type === 'variable_assignment') {
      assignments.push(assignmentOf(child))
      walkChildren(child, inner, out)
    } else if (field === 'argument') {
      args.push(toWord(child))
      walk(child, inner, out)
    } else {
      const before = out.redirects.length
      walk(child, inner, out)
      if (REDIRECTS.has(child.type)) owned.push(...out.redirects.slice(before))
    }
  }
  if (!name) {
    out.problems.push(`no command name in ${JSON.stringify(clip(node.text))}`)
    return
  }
  const command: ShellCommand = {
    name,
    args,
    assignments,
    pipedInput: state.piped,
    producer: state.producer,
    isDeclaration: false,
    text: node.text,
  }
  for (const redirect of owned) redirect.owner ??= command
  out.commands.push(command)
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
  const name = literalWord(keyword?.node.text ?? '')
  out.assignments.push(...assignments)
  out.commands.push({
    name,
    args,
    assignments,
    pipedInput: state.piped,
    producer: null,
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
  if (!isDuplication) out.redirects.push({ operator, target, text: node.text, owner: null })
}

/** `${!name}` (indirection) and `${name@P}` (prompt expansion) evaluate a variable's text as code. */
function walkExpansion(node: SyntaxNode, state: WalkState, out: ShellAnalysis): void {
  if (node.text.startsWith('${!') || /@[A-Za-z]\}$/.test(node.text)) {
    out.problems.push(
      `indirect expansion ${clip(node.text)} can run commands; name the variable directly`,
    )
  }
  problem(out, substringProblem(node))
  problem(out, secretProblem(node))
  if (state.doubleQuoted) problem(out, doubleQuotedExpansionProblem(node))
  const operator = childrenOf(node).find((child) => child.field === 'operator')?.node.text
  const name = childrenOf(node).find((child) => child.node.type === 'variable_name')?.node.text
  // `${NAME:=value}` assigns NAME
  if (name && (operator === ':=' || operator === '='))
    out.assignments.push({ name, raw: node.text })
  walkChildren(node, state, out)
}

/**
 * `[ … ]` is the test builtin: a computed word may become an operator, so the words must have a
 * fixed structure. `[[ … ]]` is parsed before expansion, but its -eq/-lt/… operands are
 * arithmetic. `-v` is refused in both: it evaluates array subscripts.
 */
function walkTest(node: SyntaxNode, state: WalkState, out: ShellAnalysis): void {
  const disagreement = node.type === 'test_command' ? testCommandProblem(node) : null
  if (disagreement) {
    out.problems.push(disagreement)
    return
  }
  const single = node.type === 'test_command' && !node.text.startsWith('[[')
  if (single) problem(out, testWordsProblem('[', singleBracketWords(node)))
  walkTestChildren(node, single, state, out)
}

function walkTestChildren(
  node: SyntaxNode,
  single: boolean,
  state: WalkState,
  out: ShellAnalysis,
): void {
  for (const { node: child } of childrenOf(node)) {
    if (!child.isNamed) continue
    if (child.type === 'test_operator' && child.text === '-v') {
      out.problems.push(
        '`-v` tests can run commands through array subscripts; test the value instead',
      )
    }
    if (
      !single &&
      child.type === 'binary_expression' &&
      ARITHMETIC_COMPARISONS.has(operatorOf(child))
    )
      problem(out, doubleBracketComparisonProblem(child))
    if (TEST_EXPRESSIONS.has(child.type)) walkTestChildren(child, single, state, out)
    else walk(child, state, out)
  }
}

/** `(( … ))`, `$(( … ))`, `$[ … ]`, `for (( … ))`: integer literals only. */
function walkArithmetic(node: SyntaxNode, state: WalkState, out: ShellAnalysis): void {
  problem(out, arithmeticProblem(node))
  walkArithmeticChildren(node, state, out)
}

/** Walks what an arithmetic expression contains that runs: substitutions and loop bodies. */
function walkArithmeticChildren(node: SyntaxNode, state: WalkState, out: ShellAnalysis): void {
  for (const { node: child } of childrenOf(node)) {
    if (child.type === 'command_substitution' || child.type === 'do_group') walk(child, state, out)
    else if (child.isNamed) walkArithmeticChildren(child, state, out)
  }
}
