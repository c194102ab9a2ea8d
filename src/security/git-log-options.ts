import { flags, GPG, values } from './git-subcommand.js'
import type { OptionSpec } from './option-parser.js'

/** Options of git's diff and log families (diff, log, show, stash show…): display only. */

export const DIFF_FLAGS = flags(`-p -u --patch -s --no-patch --raw --patch-with-raw --stat --numstat
  --shortstat --dirstat --cumulative --summary --patch-with-stat -z --name-only --name-status
  --compact-summary --color --no-color --color-words --word-diff --no-renames --check --full-index
  --binary -R --relative --no-relative -a --text -w -b --ignore-space-at-eol --ignore-all-space
  --ignore-space-change --ignore-blank-lines --ignore-cr-at-eol --minimal --patience --histogram
  --function-context -W --exit-code --quiet --no-ext-diff --no-textconv --ignore-submodules
  --no-prefix --default-prefix --abbrev --cached --staged --merge-base --no-index
  --indent-heuristic --no-indent-heuristic --pickaxe-all --pickaxe-regex --color-moved
  --no-color-moved --submodule --find-renames --find-copies --find-copies-harder -M -C -B
  --irreversible-delete -D --full-diff --ita-invisible-in-index --ita-visible-in-index`)
export const DIFF_VALUES = values(
  'text',
  `--src-prefix --dst-prefix --line-prefix --diff-algorithm --anchored --unified -U
  --inter-hunk-context --diff-filter -S -G --find-object --rotate-to --skip-to
  --ws-error-highlight --color-moved-ws --stat-width --stat-name-width --stat-count
  --stat-graph-width --output-indicator-new --output-indicator-old --output-indicator-context
  --word-diff-regex -l`,
)
const DIFF_OPTIONAL = flags(`--stat --dirstat --color --word-diff --submodule --abbrev --relative
  --find-renames --find-copies --color-moved --ignore-submodules --color-words -M -C -B`)
const DIFF_DENIED = {
  '--output': 'it writes a file; redirect the output with > instead',
  '--ext-diff': 'it runs an external diff program',
  '--textconv': 'it runs textconv filters',
}

const LOG_FLAGS = flags(`--all-match --invert-grep -i --regexp-ignore-case -E -F
  --basic-regexp --extended-regexp --fixed-strings --merges --no-merges --first-parent --not
  --all --branches --tags --remotes --reflog --ignore-missing --bisect --cherry-mark
  --cherry-pick --left-only --right-only --cherry -g --walk-reflogs --merge --boundary
  --simplify-by-decoration --full-history --dense --sparse --simplify-merges --ancestry-path
  --date-order --author-date-order --topo-order --reverse --no-walk --do-walk --oneline
  --expand-tabs --no-expand-tabs --notes --no-notes --abbrev-commit --no-abbrev-commit
  --decorate --no-decorate --source --use-mailmap --mailmap --log-size --follow --graph
  --show-linear-break --parents --children --left-right --relative-date --count --pretty
  --format --no-merges --show-pulls --stdin --single-worktree --remove-empty`)
const LOG_VALUES = values(
  'text',
  `-n --max-count --skip --since --after --until --before --author --committer --grep
  --min-parents --max-parents --glob --exclude --format --pretty --encoding --decorate-refs
  --decorate-refs-exclude --date --abbrev -L --since-as-filter --grep-reflog`,
)
export const LOG: OptionSpec = {
  flags: [...DIFF_FLAGS, ...LOG_FLAGS],
  values: { ...DIFF_VALUES, ...LOG_VALUES, '-O': 'read' },
  optionalValues: [
    ...DIFF_OPTIONAL,
    '--pretty',
    '--decorate',
    '--abbrev',
    '--no-walk',
    '--branches',
    '--tags',
    '--remotes',
  ],
  numeric: true,
  denied: { ...DIFF_DENIED, '--show-signature': GPG },
}
export const DIFF: OptionSpec = {
  flags: DIFF_FLAGS,
  values: { ...DIFF_VALUES, '-O': 'read' },
  optionalValues: DIFF_OPTIONAL,
  denied: DIFF_DENIED,
}
