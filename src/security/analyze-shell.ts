import { commentProblem } from './parser-agreement.js'
import { COMMAND_HANDLERS, loopVariable } from './shell-commands.js'
import { EXPANSION_HANDLERS, hiddenExpansionProblem, secretProblem } from './shell-expansions.js'
import { EXPRESSION_HANDLERS, walkArithmetic } from './shell-expressions.js'
import { arrayLiteralProblem } from './shell-arithmetic.js'
import { CONTAINERS, EXPANDED_LEAVES, LEAVES } from './shell-node-types.js'
import { shDialectProblem } from './sh-dialect.js'
import { childrenOf, clip, type SyntaxNode } from './syntax.js'
import type { Word } from './words.js'

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

/** Where the walk is: what feeds the current command and how deep it is. */
export interface WalkState {
  readonly piped: boolean
  readonly producer: ShellCommand | null
  readonly depth: number
  readonly source: string
  /** Inside "…" (not reset by ${…}, reset by $(…)): quotes inside ${x:-…} are plain text there. */
  readonly doubleQuoted: boolean
}

/** What a node handler uses to go on: the walk itself and the analysis it fills. */
export interface ShellWalk {
  readonly out: ShellAnalysis
  /** Walks one node of any kind. */
  readonly node: (node: SyntaxNode, state: WalkState) => void
  /** Walks every child of a node. */
  readonly children: (node: SyntaxNode, state: WalkState) => void
  /** Records a problem, if there is one. */
  readonly problem: (found: string | null) => void
}

/** Handles one kind of node; `state` is already one level deeper than its parent's. */
export type NodeHandler = (node: SyntaxNode, state: WalkState, walk: ShellWalk) => void

const MAX_DEPTH = 100

/** The node kinds that run, write, assign or compute something, by group. */
const HANDLERS: ReadonlyMap<string, NodeHandler> = new Map([
  ...COMMAND_HANDLERS,
  ...EXPANSION_HANDLERS,
  ...EXPRESSION_HANDLERS,
])

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
  const walker: ShellWalk = {
    out: analysis,
    node: (node, state) => walk(node, state, walker),
    children: (node, state) => {
      for (const { node: child } of childrenOf(node)) walk(child, state, walker)
    },
    problem: (found) => {
      if (found) analysis.problems.push(found)
    },
  }
  walk(root, { piped: false, producer: null, depth: 0, source, doubleQuoted: false }, walker)
  return analysis
}

function walk(node: SyntaxNode, state: WalkState, walker: ShellWalk): void {
  const { out } = walker
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
    return walkArithmetic(node, next, walker)
  if (type === 'array') walker.problem(arrayLiteralProblem(node))
  if (type === 'for_statement') loopVariable(node, out)
  if (CONTAINERS.has(type)) return walker.children(node, next)
  if (type === 'comment') return walker.problem(commentProblem(node, state.source))
  if (type === 'simple_expansion') walker.problem(secretProblem(node))
  if (LEAVES.has(type)) {
    if (EXPANDED_LEAVES.has(type)) walker.problem(hiddenExpansionProblem(node))
    return
  }
  const handler = HANDLERS.get(type)
  if (handler) return handler(node, next, walker)
  out.problems.push(`unsupported shell syntax (${type}) in ${JSON.stringify(clip(node.text))}`)
}
