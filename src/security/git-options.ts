import { GIT_HISTORY_SUBCOMMANDS } from './git-history-options.js'
import { GIT_INSPECT_SUBCOMMANDS } from './git-inspect-options.js'
import { flags, values, type GitSubcommand } from './git-subcommand.js'
import { GIT_WORKTREE_SUBCOMMANDS } from './git-worktree-options.js'
import { valuesOfKind, type OptionSpec, type Token } from './option-parser.js'
import { isLiteral } from './words.js'

export type { GitSubcommand } from './git-subcommand.js'

/**
 * The git subcommands and options the policy allows: what an agent needs to inspect, stage,
 * commit and branch in its worktree. Plumbing that writes objects or checks out to prefixes,
 * options that open a pager or editor, write files elsewhere, run programs (-O, --output,
 * --ext-diff, --textconv, --exec, gpg signing) or read config files are not on the lists.
 */
export const GIT_SUBCOMMANDS: Readonly<Record<string, GitSubcommand>> = {
  ...GIT_INSPECT_SUBCOMMANDS,
  ...GIT_WORKTREE_SUBCOMMANDS,
  ...GIT_HISTORY_SUBCOMMANDS,
}

/** Global options before the subcommand: only these; -C, --git-dir, --work-tree, -c and the like are not. */
export const GIT_GLOBAL: OptionSpec = {
  flags: flags(`--no-pager -P --no-replace-objects --literal-pathspecs --glob-pathspecs
    --noglob-pathspecs --icase-pathspecs --no-optional-locks --no-advice --version`),
  values: values('text', '-c'),
  denied: {
    '-C': 'git must run in the worktree itself',
    '--git-dir': 'git must use the worktree repository',
    '--work-tree': 'git must use the worktree itself',
    '--exec-path': 'it changes which programs git runs',
    '--config-env': 'it reads settings from the environment',
    '--namespace': 'it changes which refs git sees',
    '--bare': 'it treats the directory as a repository',
    '--super-prefix': 'internal option',
    '-p': 'it opens a pager',
    '--paginate': 'it opens a pager',
    '--help': 'it opens a manual page viewer',
  },
}

/** Settings `git -c` and `git config` may set: who commits, and display-only keys. */
export const SAFE_GIT_SETTING = /^(user\.(name|email)|color\.ui|core\.quotepath|advice\.[a-z]+)$/i
/** Settings `git config` may write to the repository: only who commits. */
export const WRITABLE_GIT_SETTING = /^user\.(name|email)$/i

const MERGE_STRATEGIES = new Set(['ort', 'recursive', 'resolve', 'octopus', 'ours', 'subtree'])

/** `merge -s NAME` runs the program git-merge-NAME: only git's own strategies. */
export function mergeStrategyProblem(label: string, tokens: readonly Token[]): string | null {
  for (const { name, value } of valuesOfKind(tokens, 'text')) {
    if (name !== '-s' && name !== '--strategy') continue
    if (!isLiteral(value) || !MERGE_STRATEGIES.has(value.value ?? ''))
      return `${label} ${name} ${value.raw}: git runs the program git-merge-<strategy>; use one of git's own (${[...MERGE_STRATEGIES].join(', ')})`
  }
  return null
}
