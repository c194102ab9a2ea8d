import { computedReason } from './computed-arguments.js'
import {
  GIT_GLOBAL,
  GIT_SUBCOMMANDS,
  mergeStrategyProblem,
  SAFE_GIT_SETTING,
  WRITABLE_GIT_SETTING,
  type GitSubcommand,
} from './git-options.js'
import { GIT_REMOTE_COMMANDS } from './git-remotes.js'
import type { CheckContext, Validator } from './invocation.js'
import { hasOption, operandWords, parseOptions, valuesOfKind, type Token } from './option-parser.js'
import { checkReadPath, checkWritePath } from './paths.js'
import { isLiteral, type Word } from './words.js'

/**
 * git is allowed as an allowlist of subcommands and options (git-options.ts). It runs only from
 * the worktree root (so it always uses the worktree's own repository, whose config and hooks
 * agents cannot write), never writes outside the roots, and commands that update the work tree
 * are recorded as possible makers of symbolic links.
 */
export const validateGit: Validator = (invocation, context) => {
  const words = invocation.args
  let index = 0
  while (index < words.length) {
    const word = words[index] as Word
    if (!isLiteral(word)) return `git ${word.raw}: the subcommand or option is computed at run time`
    const value = word.value ?? ''
    if (!value.startsWith('-')) break
    const parsed = parseOptions(
      'git',
      value === '-c' ? words.slice(index, index + 2) : [word],
      GIT_GLOBAL,
    )
    if (!parsed.ok) return parsed.reason
    if (value === '-c') {
      const reason = checkSetting(words[index + 1])
      if (reason) return reason
      index += 2
      continue
    }
    index++
  }
  context.requireRootBases('git')
  const name = words[index]?.value ?? undefined
  if (name === undefined) return null
  const rest = words.slice(index + 1)
  const label = `git ${name}`
  if (name === 'config') return checkConfig(rest, context)
  if (name === 'stash') return checkStash(rest, context)
  if (name === 'worktree') return checkWorktree(rest, context)
  if (name === 'bisect') return checkBisect(rest, context)
  const remote = GIT_REMOTE_COMMANDS[name]
  if (remote) return remote(label, rest, context)
  const subcommand = GIT_SUBCOMMANDS[name]
  if (!subcommand) {
    return `${label} is not on the list of git subcommands the policy allows (inspect, stage, commit, branch, merge, fetch and push); plumbing and commands that run programs are refused`
  }
  return checkSubcommand(label, name, subcommand, rest, context)
}

function checkSubcommand(
  label: string,
  name: string,
  subcommand: GitSubcommand,
  words: readonly Word[],
  context: CheckContext,
): string | null {
  const parsed = parseOptions(label, words, subcommand.spec)
  if (!parsed.ok) return parsed.reason
  const reason =
    checkOptionFiles(label, parsed.tokens, context) ??
    signatureFormat(label, parsed.tokens) ??
    mergeStrategyProblem(label, parsed.tokens)
  if (reason) return reason
  // computed operands that cannot be options are refs or pathspecs, which git keeps inside
  const operands = operandWords(parsed.tokens)
  if (name === 'init' || name === 'mv') {
    for (const operand of name === 'mv' ? operands : operands.slice(0, 1)) {
      const written = checkWritePath(operand.pattern ? null : operand.value, context.scope)
      if (written) return `${label}: ${written}`
    }
  }
  if (name === 'diff' && hasOption(parsed.tokens, '--no-index')) {
    for (const operand of operands) {
      const read = checkReadPath(operand.value, context.scope)
      if (read) return `${label}: ${read}`
    }
  }
  if (subcommand.updatesWorkTree && updatesWorkTree(name, parsed.tokens, operands))
    context.makesLinks(
      label,
      name === 'mv' ? operands.slice(-1).map((word) => word.value) : 'anywhere',
    )
  return null
}

/** `--format=%G?` and `%(signature)` make git run gpg to verify each commit. */
function signatureFormat(label: string, tokens: readonly Token[]): string | null {
  for (const { name, value } of valuesOfKind(tokens, 'text')) {
    if (!/^--(format|pretty)$/.test(name)) continue
    if (!isLiteral(value))
      return `${label} ${name}: a format computed at run time could hold %G… placeholders, which run gpg`
    if (/%G|%\(signature/.test(value.value ?? ''))
      return `${label} ${name}: signature placeholders (%G…) run gpg; leave them out`
  }
  return null
}

/** Files named by option values (`commit -F msg.txt`, `log -O order`). */
export function checkOptionFiles(
  label: string,
  tokens: readonly Token[],
  context: CheckContext,
): string | null {
  for (const { name, value } of valuesOfKind(tokens, 'read')) {
    const reason = checkReadPath(isLiteral(value) ? value.value : null, context.scope)
    if (reason) return `${label} ${name}: ${reason}`
  }
  for (const { name, value } of valuesOfKind(tokens, 'write')) {
    const reason = checkWritePath(isLiteral(value) ? value.value : null, context.scope)
    if (reason) return `${label} ${name}: ${reason}`
  }
  return null
}

function updatesWorkTree(
  name: string,
  tokens: readonly Token[],
  operands: readonly Word[],
): boolean {
  switch (name) {
    case 'checkout':
    case 'switch':
      return operands.length > 0
    case 'restore':
      return !hasOption(tokens, '--staged', '-S') || hasOption(tokens, '--worktree', '-W')
    case 'reset':
      return hasOption(tokens, '--hard', '--merge', '--keep')
    default:
      return true
  }
}

function checkSetting(word: Word | undefined): string | null {
  if (!word || !isLiteral(word)) return 'git -c with a setting computed at run time'
  const key = (word.value ?? '').split('=', 1)[0] ?? ''
  return SAFE_GIT_SETTING.test(key)
    ? null
    : `git -c ${key} is refused: only user.name, user.email and display settings may be set`
}

const CONFIG_READ =
  /^(--get|--get-all|--get-regexp|--list|-l|get|list|--show-origin|--show-scope|--name-only|-z|--null|--local|--worktree|--type=.*|--bool|--int|--default=.*)$/

/** `git config`: reading is allowed; writing only user.name and user.email of this repository. */
function checkConfig(words: readonly Word[], context: CheckContext): string | null {
  if (words.some((word) => !isLiteral(word))) return 'git config with a value computed at run time'
  void context
  const values = words.map((word) => word.value ?? '')
  const scope = values.find((value) => /^(--global|--system|--file|-f|--blob)(=|$)/.test(value))
  if (scope) return `git config ${scope} is refused: settings outside this repository`
  if (values.some((value) => /^(--get|--get-all|--get-regexp|--list|-l|get|list)$/.test(value))) {
    const unknown = values.find((value) => value.startsWith('-') && !CONFIG_READ.test(value))
    return unknown ? `git config ${unknown} is not on the list of options the policy allows` : null
  }
  const options = values.filter((value) => value.startsWith('-'))
  const refused = options.find((value) => !/^(--local|--unset|--replace-all)$/.test(value))
  if (refused) return `git config ${refused} is not on the list of options the policy allows`
  const positional = values.filter((value) => !value.startsWith('-'))
  const [first, ...restWords] = positional
  const key = first === 'set' || first === 'unset' ? restWords[0] : first
  if (!key) return null
  return WRITABLE_GIT_SETTING.test(key)
    ? null
    : `git config ${key} is refused: agents may set only user.name and user.email (other settings can make git run programs)`
}

const STASH_READS = new Set(['list', 'show'])
const STASH_WRITES = new Set(['push', 'save', 'pop', 'apply', 'branch'])

function checkStash(words: readonly Word[], context: CheckContext): string | null {
  const first = words[0]
  const action =
    first && isLiteral(first) && !(first.value ?? '').startsWith('-') ? (first.value ?? '') : 'push'
  const rest = action === 'push' && first?.value !== 'push' ? words : words.slice(1)
  const label = `git stash ${action}`
  if (action === 'list' || action === 'show')
    return checkSubcommand(label, 'log', GIT_SUBCOMMANDS['log'] as GitSubcommand, rest, context)
  if (action === 'drop' || action === 'clear')
    return rest.every(isLiteral)
      ? null
      : computedReason(label, rest.find((word) => !isLiteral(word)) as Word)
  if (!STASH_WRITES.has(action) && !STASH_READS.has(action))
    return `${label} is not on the list of git stash actions the policy allows`
  const parsed = parseOptions(label, rest, (GIT_SUBCOMMANDS['stash'] as GitSubcommand).spec)
  if (!parsed.ok) return parsed.reason
  context.makesLinks(label, 'anywhere')
  return null
}

function checkWorktree(words: readonly Word[], context: CheckContext): string | null {
  const [action, ...rest] = words
  const name = action && isLiteral(action) ? (action.value ?? '') : ''
  const label = `git worktree ${name}`
  if (name === 'list' || name === 'prune')
    return rest.every(isLiteral) ? null : `${label} with an argument computed at run time`
  if (!['add', 'remove', 'lock', 'unlock', 'move'].includes(name))
    return `${label} is not on the list of git worktree actions the policy allows`
  const parsed = parseOptions(label, rest, {
    flags: [
      '-f',
      '--force',
      '--detach',
      '--checkout',
      '--no-checkout',
      '--lock',
      '--orphan',
      '--guess-remote',
      '--no-guess-remote',
      '--track',
      '--no-track',
      '-q',
      '--quiet',
    ],
    values: { '-b': 'text', '-B': 'text', '--reason': 'text' },
  })
  if (!parsed.ok) return parsed.reason
  const operands = operandWords(parsed.tokens)
  const paths =
    name === 'add'
      ? operands.slice(0, 1)
      : name === 'move'
        ? operands.slice(0, 2)
        : operands.slice(0, 1)
  for (const path of paths) {
    const reason = checkWritePath(path.pattern ? null : path.value, context.scope)
    if (reason) return `${label}: ${reason}`
  }
  if (name === 'add')
    context.makesLinks(
      label,
      paths.map((path) => path.value),
    )
  return null
}

const BISECT_ACTIONS = new Set([
  'start',
  'bad',
  'good',
  'new',
  'old',
  'terms',
  'skip',
  'reset',
  'log',
])

function checkBisect(words: readonly Word[], context: CheckContext): string | null {
  const action = words[0]?.value ?? ''
  if (!BISECT_ACTIONS.has(action))
    return `git bisect ${action} is refused: only start, good, bad, skip, reset and log (bisect run executes a command; run the checks one by one)`
  const computed = words.find((word) => !isLiteral(word))
  if (computed) return computedReason('git bisect', computed)
  if (action !== 'log' && action !== 'terms') context.makesLinks(`git bisect ${action}`, 'anywhere')
  return null
}
