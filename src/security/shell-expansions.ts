import type { NodeHandler, ShellWalk, WalkState } from './analyze-shell.js'
import { SECRET_NAME } from './command-lists.js'
import {
  backtickProblem,
  doubleQuotedExpansionProblem,
  heredocProblem,
} from './parser-agreement.js'
import { substringProblem } from './shell-arithmetic.js'
import { childrenOf, clip, type SyntaxNode } from './syntax.js'
import { hasHiddenExpansion } from './words.js'

/** Handlers of the nodes that expand: strings, parameter expansions and substitutions. */

/** A piece the parser kept as plain text though bash would expand it (`${x:=`cmd`}`). */
export function hiddenExpansionProblem(node: SyntaxNode): string | null {
  return hasHiddenExpansion(node.text)
    ? `the parser kept ${JSON.stringify(clip(node.text))} as plain text, but the shell would expand it`
    : null
}

/** `$ANTHROPIC_API_KEY`, `${GITHUB_TOKEN}`: expanding them would show a secret to the model. */
export function secretProblem(node: SyntaxNode): string | null {
  const name = childrenOf(node).find((child) => child.node.type === 'variable_name')?.node.text
  return name && SECRET_NAME.test(name)
    ? `$${name} looks like a credential; expanding it would show it to the model`
    : null
}

/** Double-quoted strings: anonymous pieces (newlines, lone `$`) must not hide an expansion. */
function walkString(node: SyntaxNode, state: WalkState, walk: ShellWalk): void {
  for (const { node: child } of childrenOf(node)) {
    if (!child.isNamed && child.type !== '"') walk.problem(hiddenExpansionProblem(child))
    walk.node(child, { ...state, doubleQuoted: true })
  }
}

/** `${!name}` (indirection) and `${name@P}` (prompt expansion) evaluate a variable's text as code. */
function walkExpansion(node: SyntaxNode, state: WalkState, walk: ShellWalk): void {
  if (node.text.startsWith('${!') || /@[A-Za-z]\}$/.test(node.text)) {
    walk.out.problems.push(
      `indirect expansion ${clip(node.text)} can run commands; name the variable directly`,
    )
  }
  walk.problem(substringProblem(node))
  walk.problem(secretProblem(node))
  if (state.doubleQuoted) walk.problem(doubleQuotedExpansionProblem(node))
  const operator = childrenOf(node).find((child) => child.field === 'operator')?.node.text
  const name = childrenOf(node).find((child) => child.node.type === 'variable_name')?.node.text
  // `${NAME:=value}` assigns NAME
  if (name && (operator === ':=' || operator === '='))
    walk.out.assignments.push({ name, raw: node.text })
  walk.children(node, state)
}

/** `$(cmd)` and `` `cmd` ``: a command of its own, fed by nothing, outside any quotes. */
function walkCommandSubstitution(node: SyntaxNode, state: WalkState, walk: ShellWalk): void {
  walk.problem(backtickProblem(node))
  walk.children(node, { ...state, piped: false, producer: null, doubleQuoted: false })
}

/** `>(cmd)` feeds cmd from a pipe; `<(cmd)` does not. */
function walkProcessSubstitution(node: SyntaxNode, state: WalkState, walk: ShellWalk): void {
  const piped = node.text.startsWith('>(')
  walk.children(node, { ...state, piped, producer: null, doubleQuoted: false })
}

function walkHeredoc(node: SyntaxNode, state: WalkState, walk: ShellWalk): void {
  walk.problem(heredocProblem(node))
  walk.children(node, state)
}

export const EXPANSION_HANDLERS: ReadonlyMap<string, NodeHandler> = new Map([
  ['string', walkString],
  ['expansion', walkExpansion],
  ['command_substitution', walkCommandSubstitution],
  ['process_substitution', walkProcessSubstitution],
  ['heredoc_redirect', walkHeredoc],
  ['herestring_redirect', (node, state, walk) => walk.children(node, state)],
])
