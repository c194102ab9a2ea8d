import {
  EDITOR,
  flags,
  GPG,
  PATHSPEC_FILE,
  subcommand,
  values,
  type GitSubcommand,
} from './git-subcommand.js'

const MERGE_STRATEGY = values('text', '-s --strategy -X --strategy-option')

/** git subcommands that make commits, branches and tags: commit, merge, rebase, pick, revert. */
export const GIT_HISTORY_SUBCOMMANDS: Readonly<Record<string, GitSubcommand>> = {
  commit: subcommand({
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
  branch: subcommand({
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
  merge: subcommand(
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
  rebase: subcommand(
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
  'cherry-pick': subcommand(
    {
      flags: flags(`-n --no-commit --no-edit -x -s --signoff --continue --abort --skip --quit --ff
        --allow-empty --allow-empty-message --keep-redundant-commits --rerere-autoupdate
        --no-rerere-autoupdate --no-gpg-sign`),
      values: { ...MERGE_STRATEGY, ...values('text', '-m --mainline --empty --cleanup') },
      denied: { '-e': EDITOR, '--edit': EDITOR, '-S': GPG, '--gpg-sign': GPG },
    },
    true,
  ),
  revert: subcommand(
    {
      flags: flags(`-n --no-commit --no-edit -s --signoff --continue --abort --skip --quit
        --rerere-autoupdate --no-rerere-autoupdate --no-gpg-sign --reference`),
      values: { ...MERGE_STRATEGY, ...values('text', '-m --mainline --cleanup') },
      denied: { '-e': EDITOR, '--edit': EDITOR, '-S': GPG, '--gpg-sign': GPG },
    },
    true,
  ),
  tag: subcommand({
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
}
