import { DIFF_FLAGS, DIFF_VALUES } from './git-log-options.js'
import {
  EDITOR,
  flags,
  PATHSPEC_FILE,
  subcommand,
  values,
  type GitSubcommand,
} from './git-subcommand.js'

const SUBMODULES = 'submodules run their own configuration'

/** git subcommands that change the index or the work tree: stage, restore, move, stash, patch. */
export const GIT_WORKTREE_SUBCOMMANDS: Readonly<Record<string, GitSubcommand>> = {
  add: subcommand({
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
  rm: subcommand({
    flags: flags('--cached -f --force -r -n --dry-run -q --quiet --ignore-unmatch --sparse'),
    denied: { '--pathspec-from-file': PATHSPEC_FILE },
  }),
  mv: subcommand({ flags: flags('-f --force -k -n --dry-run -v --verbose --sparse') }, true),
  checkout: subcommand(
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
  switch: subcommand(
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
  restore: subcommand(
    {
      flags: flags(`-p --patch -W --worktree -S --staged --ours --theirs -m --merge
        --ignore-unmerged --overlay --no-overlay -q --quiet --progress --no-progress
        --ignore-skip-worktree-bits --no-recurse-submodules`),
      values: values('text', '-s --source --conflict'),
      denied: { '--recurse-submodules': SUBMODULES, '--pathspec-from-file': PATHSPEC_FILE },
    },
    true,
  ),
  reset: subcommand(
    {
      flags: flags(
        '--soft --mixed --hard --merge --keep -q --quiet -N -p --patch --no-refresh --refresh --no-recurse-submodules',
      ),
      denied: { '--recurse-submodules': SUBMODULES, '--pathspec-from-file': PATHSPEC_FILE },
    },
    true,
  ),
  stash: subcommand(
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
  clean: subcommand({
    flags: flags('-n --dry-run -f --force -d -x -X -q --quiet'),
    values: values('text', '-e --exclude'),
    denied: { '-i': 'interactive', '--interactive': 'interactive' },
  }),
  apply: subcommand(
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
  init: subcommand({
    flags: flags('-q --quiet --bare'),
    values: values('text', '-b --initial-branch --object-format --shared --ref-format'),
    optionalValues: flags('--shared'),
    denied: {
      '--template': 'it copies hooks from a template directory',
      '--separate-git-dir': 'it puts the repository elsewhere',
    },
  }),
}
