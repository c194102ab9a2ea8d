import type {
  Assignment,
  NodeHandler,
  Redirect,
  ShellAnalysis,
  ShellCommand,
  ShellWalk,
  WalkState,
} from './analyze-shell.js'
import { wordBoundaryProblem } from './parser-agreement.js'
import { childrenOf, clip, type SyntaxNode } from './syntax.js'
import { literalWord, staticValue, toWord, type Word } from './words.js'

/** Handlers of the nodes that run or assign: the walk of what a command line would do. */

const REDIRECTS = new Set(['file_redirect', 'heredoc_redirect', 'herestring_redirect'])

/** `for NAME in …` assigns NAME (`for PATH in dir; do ls; done` runs dir/ls). */
export function loopVariable(node: SyntaxNode, out: ShellAnalysis): void {
  const variable = childrenOf(node).find((child) => child.field === 'variable')?.node
  if (variable) out.assignments.push({ name: variable.text, raw: `${variable.text}=${node.text}` })
}

/** `cmd >out`: the redirections belong to cmd when the body is a simple command. */
function walkRedirected(node: SyntaxNode, state: WalkState, walk: ShellWalk): void {
  const { out } = walk
  const firstRedirect = out.redirects.length
  let owner: ShellCommand | null = null
  for (const { node: child, field } of childrenOf(node)) {
    walk.node(child, state)
    if (field === 'body' && child.type === 'command') owner = out.commands.at(-1) ?? null
  }
  for (const redirect of out.redirects.slice(firstRedirect)) redirect.owner ??= owner
}

function walkFunction(node: SyntaxNode, state: WalkState, walk: ShellWalk): void {
  const name = childrenOf(node).find((child) => child.field === 'name')?.node
  const value = name ? staticValue(name) : null
  if (value === null) {
    walk.out.problems.push(
      `a function name computed at run time in ${JSON.stringify(clip(node.text))}`,
    )
    return
  }
  walk.out.functions.add(value)
  walk.children(node, state)
}

function walkPipeline(node: SyntaxNode, state: WalkState, walk: ShellWalk): void {
  let first = true
  let producer: ShellCommand | null = null
  for (const { node: child } of childrenOf(node)) {
    if (!child.isNamed) continue
    walk.node(child, { ...state, piped: state.piped || !first, producer })
    first = false
    const simple =
      child.type === 'command' ||
      (child.type === 'redirected_statement' &&
        childrenOf(child).some((part) => part.field === 'body' && part.node.type === 'command'))
    producer = simple ? (walk.out.commands.at(-1) ?? null) : null
  }
}

function walkCommand(node: SyntaxNode, state: WalkState, walk: ShellWalk): void {
  const { out } = walk
  let name: Word | null = null
  const args: Word[] = []
  const assignments: Assignment[] = []
  walk.problem(wordBoundaryProblem(node, state.source))
  const inner: WalkState = { ...state, producer: null }
  const owned: Redirect[] = []
  for (const { node: child, field } of childrenOf(node)) {
    if (field === 'name') {
      name = toWord(child)
      walk.children(child, inner)
    } else if (child.type === 'variable_assignment') {
      assignments.push(assignmentOf(child))
      walk.children(child, inner)
    } else if (field === 'argument') {
      args.push(toWord(child))
      walk.node(child, inner)
    } else {
      const before = out.redirects.length
      walk.node(child, inner)
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

function walkDeclaration(node: SyntaxNode, state: WalkState, walk: ShellWalk): void {
  walk.problem(wordBoundaryProblem(node, state.source))
  const [keyword, ...rest] = childrenOf(node)
  const args: Word[] = []
  const assignments: Assignment[] = []
  for (const { node: child } of rest) {
    if (child.type === 'variable_assignment') {
      assignments.push(assignmentOf(child))
      walk.children(child, state)
    } else {
      args.push(toWord(child))
      walk.node(child, state)
    }
  }
  const name = literalWord(keyword?.node.text ?? '')
  walk.out.assignments.push(...assignments)
  walk.out.commands.push({
    name,
    args,
    assignments,
    pipedInput: state.piped,
    producer: null,
    isDeclaration: true,
    text: node.text,
  })
}

function walkAssignment(node: SyntaxNode, state: WalkState, walk: ShellWalk): void {
  walk.out.assignments.push(assignmentOf(node))
  walk.children(node, state)
}

function assignmentOf(node: SyntaxNode): Assignment {
  const nameNode = childrenOf(node).find((c) => c.field === 'name')?.node
  return { name: nameNode ? nameNode.text : node.text, raw: node.text }
}

function walkFileRedirect(node: SyntaxNode, state: WalkState, walk: ShellWalk): void {
  let operator = ''
  let destination: SyntaxNode | null = null
  for (const { node: child, field } of childrenOf(node)) {
    if (field === 'destination' && destination) {
      walk.out.problems.push(
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
  walk.node(destination, state)
  // `> >(cmd)` writes into a pipe to cmd, which was checked like any command
  if (destination.type === 'process_substitution') return
  const target = toWord(destination)
  const isDuplication =
    (operator === '>&' || operator === '<&') && /^(\d+|-)$/.test(target.value ?? '')
  if (!isDuplication) walk.out.redirects.push({ operator, target, text: node.text, owner: null })
}

export const COMMAND_HANDLERS: ReadonlyMap<string, NodeHandler> = new Map([
  ['pipeline', walkPipeline],
  ['redirected_statement', walkRedirected],
  ['function_definition', walkFunction],
  ['command', walkCommand],
  ['declaration_command', walkDeclaration],
  ['unset_command', walkDeclaration],
  ['variable_assignment', walkAssignment],
  ['file_redirect', walkFileRedirect],
])
