import type { NodeHandler, ShellWalk, WalkState } from './analyze-shell.js'
import { TEST_EXPRESSIONS, testCommandProblem } from './parser-agreement.js'
import {
  arithmeticProblem,
  doubleBracketComparisonProblem,
  operatorOf,
  singleBracketWords,
  subscriptProblem,
  testWordsProblem,
} from './shell-arithmetic.js'
import { childrenOf, type SyntaxNode } from './syntax.js'

/** Handlers of the nodes that compute: tests (`[ … ]`, `[[ … ]]`) and arithmetic. */

const ARITHMETIC_COMPARISONS = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge'])

/**
 * `[ … ]` is the test builtin: a computed word may become an operator, so the words must have a
 * fixed structure. `[[ … ]]` is parsed before expansion, but its -eq/-lt/… operands are
 * arithmetic. `-v` is refused in both: it evaluates array subscripts.
 */
function walkTest(node: SyntaxNode, state: WalkState, walk: ShellWalk): void {
  const disagreement = node.type === 'test_command' ? testCommandProblem(node) : null
  if (disagreement) {
    walk.out.problems.push(disagreement)
    return
  }
  const single = node.type === 'test_command' && !node.text.startsWith('[[')
  if (single) walk.problem(testWordsProblem('[', singleBracketWords(node)))
  walkTestChildren(node, single, state, walk)
}

function walkTestChildren(
  node: SyntaxNode,
  single: boolean,
  state: WalkState,
  walk: ShellWalk,
): void {
  for (const { node: child } of childrenOf(node)) {
    if (!child.isNamed) continue
    if (child.type === 'test_operator' && child.text === '-v') {
      walk.out.problems.push(
        '`-v` tests can run commands through array subscripts; test the value instead',
      )
    }
    if (
      !single &&
      child.type === 'binary_expression' &&
      ARITHMETIC_COMPARISONS.has(operatorOf(child))
    )
      walk.problem(doubleBracketComparisonProblem(child))
    if (TEST_EXPRESSIONS.has(child.type)) walkTestChildren(child, single, state, walk)
    else walk.node(child, state)
  }
}

/** `(( … ))`, `$(( … ))`, `$[ … ]`, `for (( … ))`: integer literals only. */
export function walkArithmetic(node: SyntaxNode, state: WalkState, walk: ShellWalk): void {
  walk.problem(arithmeticProblem(node))
  walkArithmeticChildren(node, state, walk)
}

/** Walks what an arithmetic expression contains that runs: substitutions and loop bodies. */
function walkArithmeticChildren(node: SyntaxNode, state: WalkState, walk: ShellWalk): void {
  for (const { node: child } of childrenOf(node)) {
    if (child.type === 'command_substitution' || child.type === 'do_group') walk.node(child, state)
    else if (child.isNamed) walkArithmeticChildren(child, state, walk)
  }
}

function walkSubscript(node: SyntaxNode, state: WalkState, walk: ShellWalk): void {
  walk.problem(subscriptProblem(node))
  walkArithmeticChildren(node, state, walk)
}

const ARITHMETIC = [
  'arithmetic_expansion',
  'c_style_for_statement',
  'binary_expression',
  'unary_expression',
  'ternary_expression',
  'postfix_expression',
  'parenthesized_expression',
]

export const EXPRESSION_HANDLERS: ReadonlyMap<string, NodeHandler> = new Map([
  ['test_command', walkTest],
  ['subscript', walkSubscript],
  ...ARITHMETIC.map((type): [string, NodeHandler] => [type, walkArithmetic]),
])
