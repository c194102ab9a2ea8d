import { DIFF, DIFF_FLAGS, DIFF_VALUES, LOG } from './git-log-options.js'
import { valuesOfKind, type OptionSpec, type Token, type ValueKind } from './option-parser.js'
import { isLiteral } from './words.js'

/**
 * The git subcommands and options the policy allows: what an agent needs to inspect, stage,
 * commit and branch in its worktree. Plumbing that writes objects or checks out to prefixes,
 * options that open a pager or editor, write files elsewhere, run programs (-O, --output,
 * --ext-diff, --textconv, --exec, gpg signing) or read config files are not on the lists.
 */

const flags = (text: string): string[] => text.split(/\s+/).filter(Boolean)
const values = (kind: ValueKind, text: string): Record<string, ValueKind> =>
  Object.fromEntries(flags(text).map((name) => [name, kind]))

const EDITOR = 'it opens an editor'
const GPG = 'it runs gpg'
const PATHSPEC_FILE = 'it reads paths from a file the policy cannot check'
const SUBMODULES = 'submodules run their own configuration'

const MERGE_STRATEGY = values('text', '-s --strategy -X --strategy-option')

/** Per subcommand: its options, and whether it may turn paths in the work tree into links. */
export interface GitSubcommand {
  readonly spec: OptionSpec
  /** Updates the work tree from commits (may create symbolic links), unless `unless` holds. */
  readonly updatesWorkTree?: boolean
}

const sub = (spec: Partial<OptionSpec>, updatesWorkTree = false): GitSubcommand => ({
  spec: { flags: [], ...spec },
  updatesWorkTree,
})

export const GIT_SUBCOMMANDS: Readonly<Record<string, GitSubcommand>> = {
  status: sub({
    flags: flags(`-s --short -b --branch --porcelain --long -v --verbose -u --untracked-files
      --ignored --ignore-submodules -z --no-column --ahead-behind --no-ahead-behind --renames
      --no-renames --show-stash --find-renames`),
    optionalValues: flags(
      '--porcelain --untracked-files --ignored --ignore-submodules --find-renames',
    ),
    values: values(
      'text',
      '--porcelain --untracked-files --ignored --ignore-submodules --find-renames',
    ),
  }),
  diff: sub(DIFF),
  log: sub(LOG),
  show: sub(LOG),
  whatchanged: sub(LOG),
  shortlog: sub({
    ...LOG,
    flags: [...(LOG.flags ?? []), ...flags('-s --summary -e --email -c --committer')],
  }),
  'rev-list': sub(LOG),
  reflog: sub(LOG),
  blame: sub({
    flags: flags(`-l -t --reverse --first-parent -p --porcelain --line-porcelain --incremental
      --progress -M -C --color-lines --color-by-age -e --show-email -w -s -f --show-name -n
      --show-number -c --root --minimal`),
    values: values('text', '-L --encoding --date --ignore-rev --abbrev'),
  }),
  add: sub({
    flags: flags(`-n --dry-run -v --verbose -f --force -p --patch -u --update -A --all --no-all
      --ignore-removal --no-ignore-removal -N --intent-to-add --refresh --ignore-errors
      --ignore-missing --renormalize --sparse --no-warn-embedded-repo`),
    values: values('text', '--chmod'),
    denied: {
      '-e': EDITOR,
      '--edit': EDITOR,
      '-i': EDITOR,
      '--interactive': EDITOR,
      '--pathspec-from-file': PATHSPEC_FILE,
    },
  }),
  commit: sub({
    flags: flags(`-a --all -p --patch --amend --no-edit -s --signoff --no-signoff -n --no-verify
      --verify --allow-empty --allow-empty-message -q --quiet -v --verbose --dry-run --short
      --porcelain --long -z --no-gpg-sign -o --only -i --include --reset-author --no-post-rewrite
      --status --no-status -u --untracked-files`),
    values: {
      ...values(
        'text',
        '-m --message -C --reuse-message --fixup --squash --author --date --cleanup --trailer -u --untracked-files',
      ),
      ...values('read', '-F --file -t --template'),
    },
    optionalValues: flags('-u --untracked-files'),
    denied: {
      '-e': EDITOR,
      '--edit': EDITOR,
      '-c': EDITOR,
      '--reedit-message': EDITOR,
      '-S': GPG,
      '--gpg-sign': GPG,
      '--pathspec-from-file': PATHSPEC_FILE,
    },
  }),
  branch: sub({
    flags: flags(`-a --all -r --remotes -l --list -v -vv --verbose -d --delete -D -m --move -M -c
      --copy -C -f --force --show-current --merged --no-merged --color --no-color -t --no-track
      --unset-upstream --no-abbrev -q --quiet -i --ignore-case --omit-empty --create-reflog`),
    values: values(
      'text',
      `--contains --no-contains --sort --format --points-at -u
      --set-upstream-to --track --abbrev`,
    ),
    optionalValues: flags('--track --abbrev --contains --no-contains --merged --no-merged --color'),
    denied: { '--edit-description': EDITOR },
  }),
  checkout: sub(
    {
      flags: flags(`-f --force -q --quiet --detach -t --track --no-track --ours --theirs -m --merge
        -p --patch --ignore-skip-worktree-bits --overwrite-ignore --no-overwrite-ignore
        --no-recurse-submodules --progress --no-progress --guess --no-guess -l`),
      values: values('text', '-b -B --orphan --conflict'),
      optionalValues: flags('--track'),
      denied: { '--recurse-submodules': SUBMODULES, '--pathspec-from-file': PATHSPEC_FILE },
    },
    true,
  ),
  switch: sub(
    {
      flags: flags(`--create --force-create -d --detach --guess --no-guess -f --force
        --discard-changes -m --merge -q --quiet --progress --no-progress -t --track --no-track
        --ignore-other-worktrees --no-recurse-submodules`),
      values: values('text', '-c -C --orphan --conflict'),
      optionalValues: flags('--track'),
      denied: { '--recurse-submodules': SUBMODULES },
    },
    true,
  ),
  restore: sub(
    {
      flags: flags(`-p --patch -W --worktree -S --staged --ours --theirs -m --merge
        --ignore-unmerged --overlay --no-overlay -q --quiet --progress --no-progress
        --ignore-skip-worktree-bits --no-recurse-submodules`),
      values: values('text', '-s --source --conflict'),
      denied: { '--recurse-submodules': SUBMODULES, '--pathspec-from-file': PATHSPEC_FILE },
    },
    true,
  ),
  reset: sub(
    {
      flags: flags(
        '--soft --mixed --hard --merge --keep -q --quiet -N -p --patch --no-refresh --refresh --no-recurse-submodules',
      ),
      denied: { '--recurse-submodules': SUBMODULES, '--pathspec-from-file': PATHSPEC_FILE },
    },
    true,
  ),
  rm: sub({
    flags: flags('--cached -f --force -r -n --dry-run -q --quiet --ignore-unmatch --sparse'),
    denied: { '--pathspec-from-file': PATHSPEC_FILE },
  }),
  mv: sub({ flags: flags('-f --force -k -n --dry-run -v --verbose --sparse') }, true),
  stash: sub(
    {
      flags: [
        ...DIFF_FLAGS,
        ...flags(`-u --include-untracked --no-include-untracked -a --all -k
        --keep-index --no-keep-index -q --quiet -p --patch -S --staged --index --only-untracked`),
      ],
      values: { ...DIFF_VALUES, ...values('text', '-m --message') },
      denied: { '--pathspec-from-file': PATHSPEC_FILE },
    },
    true,
  ),
  merge: sub(
    {
      flags: flags(`--no-ff --ff --ff-only --squash --no-squash --commit --no-commit --no-edit
        --abort --continue --quit --allow-unrelated-histories -q --quiet -v --verbose --stat -n
        --no-stat --log --no-log --signoff --no-signoff --no-verify --verify --no-gpg-sign
        --autostash --no-autostash --progress --no-progress --rerere-autoupdate
        --no-rerere-autoupdate --overwrite-ignore --no-overwrite-ignore`),
      values: {
        ...MERGE_STRATEGY,
        ...values('text', '-m --message --log --cleanup'),
        ...values('read', '-F --file'),
      },
      optionalValues: flags('--log'),
      denied: {
        '-e': EDITOR,
        '--edit': EDITOR,
        '-S': GPG,
        '--gpg-sign': GPG,
        '--verify-signatures': GPG,
      },
    },
    true,
  ),
  rebase: sub(
    {
      flags: flags(`--continue --abort --skip --quit --keep-base -r --rebase-merges
        --no-rebase-merges --no-autosquash --autostash --no-autostash -q --quiet -v --verbose
        --stat --no-stat -n --no-verify --verify -f --force-rebase --no-ff --fork-point
        --no-fork-point --root --committer-date-is-author-date --ignore-date --reset-author-date
        --signoff --update-refs --no-update-refs --show-current-patch --no-gpg-sign --apply
        --merge --ignore-whitespace --whitespace`),
      values: { ...MERGE_STRATEGY, ...values('text', '--onto --empty -C --whitespace') },
      optionalValues: flags('--rebase-merges --whitespace'),
      denied: {
        '-i': EDITOR,
        '--interactive': EDITOR,
        '--edit-todo': EDITOR,
        '-x': 'it runs a command',
        '--exec': 'it runs a command',
        '-S': GPG,
        '--gpg-sign': GPG,
      },
    },
    true,
  ),
  'cherry-pick': sub(
    {
      flags: flags(`-n --no-commit --no-edit -x -s --signoff --continue --abort --skip --quit --ff
        --allow-empty --allow-empty-message --keep-redundant-commits --rerere-autoupdate
        --no-rerere-autoupdate --no-gpg-sign`),
      values: { ...MERGE_STRATEGY, ...values('text', '-m --mainline --empty --cleanup') },
      denied: { '-e': EDITOR, '--edit': EDITOR, '-S': GPG, '--gpg-sign': GPG },
    },
    true,
  ),
  revert: sub(
    {
      flags: flags(`-n --no-commit --no-edit -s --signoff --continue --abort --skip --quit
        --rerere-autoupdate --no-rerere-autoupdate --no-gpg-sign --reference`),
      values: { ...MERGE_STRATEGY, ...values('text', '-m --mainline --cleanup') },
      denied: { '-e': EDITOR, '--edit': EDITOR, '-S': GPG, '--gpg-sign': GPG },
    },
    true,
  ),
  tag: sub({
    flags: flags(`-a --annotate -d --delete -l --list -f --force --no-sign --create-reflog -i
      --ignore-case --color --no-column --omit-empty`),
    values: {
      ...values(
        'text',
        '-m --message --sort --format --contains --no-contains --merged --no-merged --points-at --cleanup -n',
      ),
      ...values('read', '-F --file'),
    },
    optionalValues: flags('--contains --no-contains --merged --no-merged --points-at --color'),
    numeric: false,
    denied: {
      '-e': EDITOR,
      '--edit': EDITOR,
      '-s': GPG,
      '--sign': GPG,
      '-u': GPG,
      '--local-user': GPG,
      '-v': GPG,
      '--verify': GPG,
    },
  }),
  'rev-parse': sub({
    flags: flags(`--short --abbrev-ref --verify -q --quiet --show-toplevel --show-cdup
      --show-prefix --git-dir --git-common-dir --absolute-git-dir --is-inside-work-tree
      --is-inside-git-dir --is-bare-repository --is-shallow-repository --symbolic
      --symbolic-full-name --all --branches --tags --remotes --local-env-vars --sq --sq-quote
      --revs-only --no-revs --flags --no-flags --show-object-format --show-ref-format
      --show-superproject-working-tree --end-of-options`),
    values: values(
      'text',
      '--short --abbrev-ref --default --since --until --before --after --path-format --show-object-format',
    ),
    optionalValues: flags('--short --abbrev-ref --show-object-format'),
  }),
  'ls-files': sub({
    flags: flags(`-c --cached -d --deleted -m --modified -o --others -i --ignored -s --stage -u
      --unmerged -k --killed -z -t -v -f --full-name --abbrev --debug --eol --exclude-standard
      --error-unmatch --deduplicate --sparse --directory --no-empty-directory --resolve-undo
      --recurse-submodules`),
    values: {
      ...values('text', '-x --exclude --exclude-per-directory --with-tree --format --abbrev'),
      ...values('read', '-X --exclude-from'),
    },
    optionalValues: flags('--abbrev'),
  }),
  'ls-tree': sub({
    flags: flags(
      '-r -t -d -l --long -z --name-only --name-status --object-only --full-name --full-tree --abbrev',
    ),
    values: values('text', '--format --abbrev'),
    optionalValues: flags('--abbrev'),
  }),
  'cat-file': sub({
    flags: flags(
      '-t -s -e -p --batch --batch-check --batch-all-objects --buffer --unordered -Z --allow-unknown-type',
    ),
    denied: {
      '--textconv': 'it runs textconv filters',
      '--filters': 'it runs clean and smudge filters',
    },
  }),
  grep: sub({
    flags: flags(`-i --ignore-case -I -v --invert-match -w --word-regexp -n --line-number
      --column -l --files-with-matches --name-only -L --files-without-match -c --count -h -H
      -o --only-matching -q --quiet -E --extended-regexp -F --fixed-strings -G --basic-regexp
      -P --perl-regexp -r --recursive --no-recursive --cached --untracked --exclude-standard
      --no-exclude-standard -a --text --no-textconv --break --heading -p --show-function -W
      --function-context --color --no-color --full-name -z --null --all-match --and --or
      --not ( ) --recurse-submodules`),
    values: {
      ...values(
        'text',
        '-e --max-depth -A --after-context -B --before-context -C --context --threads -m --max-count',
      ),
      ...values('read', '-f'),
    },
    optionalValues: flags('--color'),
    numeric: true,
    denied: {
      '-O': 'it opens the files in a pager or program of your choice',
      '--open-files-in-pager': 'it opens the files in a pager or program of your choice',
      '--no-index': 'it searches outside the repository',
      '--textconv': 'it runs textconv filters',
    },
  }),
  describe: sub({
    flags: flags(
      '--tags --all --long --always --exact-match --first-parent --contains --dirty --broken',
    ),
    values: values('text', '--abbrev --dirty --broken --match --exclude --candidates'),
    optionalValues: flags('--dirty --broken'),
  }),
  'show-ref': sub({
    flags: flags(
      '--heads --tags --head -d --dereference -s --hash --verify --abbrev -q --quiet --exists --branches',
    ),
    values: values('text', '--hash --abbrev'),
    optionalValues: flags('--hash --abbrev'),
  }),
  'for-each-ref': sub({
    flags: flags(
      '--shell --perl --python --tcl --ignore-case --omit-empty --merged --no-merged --contains --no-contains',
    ),
    values: values(
      'text',
      '--format --sort --count --points-at --merged --no-merged --contains --no-contains --exclude',
    ),
    optionalValues: flags('--merged --no-merged --contains --no-contains'),
  }),
  'merge-base': sub({
    flags: flags('-a --all --octopus --is-ancestor --independent --fork-point'),
  }),
  'check-ignore': sub({
    flags: flags('-q --quiet -v --verbose --stdin -z -n --non-matching --no-index'),
  }),
  'check-attr': sub({ flags: flags('-a --all --cached --stdin -z') }),
  'count-objects': sub({ flags: flags('-v --verbose -H --human-readable') }),
  'name-rev': sub({
    flags: flags('--tags --all --name-only --no-undefined --always --annotate-stdin'),
    values: values('text', '--refs --exclude'),
  }),
  cherry: sub({ flags: flags('-v'), values: values('text', '--abbrev') }),
  version: sub({ flags: flags('--build-options') }),
  init: sub({
    flags: flags('-q --quiet --bare'),
    values: values('text', '-b --initial-branch --object-format --shared --ref-format'),
    optionalValues: flags('--shared'),
    denied: {
      '--template': 'it copies hooks from a template directory',
      '--separate-git-dir': 'it puts the repository elsewhere',
    },
  }),
  clean: sub({
    flags: flags('-n --dry-run -f --force -d -x -X -q --quiet'),
    values: values('text', '-e --exclude'),
    denied: { '-i': 'interactive', '--interactive': 'interactive' },
  }),
  apply: sub(
    {
      flags: flags(`--check --stat --numstat --summary --cached --index -R --reverse -3 --3way
        --reject -v --verbose -q --quiet --ignore-whitespace --ignore-space-change --recount
        --allow-empty --no-add --intent-to-add`),
      values: values('text', '--whitespace --exclude --include -p -C'),
      denied: {
        '--unsafe-paths': 'it writes outside the work tree',
        '--directory': 'it moves the patched paths elsewhere',
      },
    },
    true,
  ),
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
