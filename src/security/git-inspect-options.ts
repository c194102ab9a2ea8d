import { DIFF, LOG } from './git-log-options.js'
import { flags, subcommand, values, type GitSubcommand } from './git-subcommand.js'

/** git subcommands that only read the repository: status, history, files, refs and searches. */
export const GIT_INSPECT_SUBCOMMANDS: Readonly<Record<string, GitSubcommand>> = {
  status: subcommand({
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
  diff: subcommand(DIFF),
  log: subcommand(LOG),
  show: subcommand(LOG),
  whatchanged: subcommand(LOG),
  shortlog: subcommand({
    ...LOG,
    flags: [...(LOG.flags ?? []), ...flags('-s --summary -e --email -c --committer')],
  }),
  'rev-list': subcommand(LOG),
  reflog: subcommand(LOG),
  blame: subcommand({
    flags: flags(`-l -t --reverse --first-parent -p --porcelain --line-porcelain --incremental
      --progress -M -C --color-lines --color-by-age -e --show-email -w -s -f --show-name -n
      --show-number -c --root --minimal`),
    values: values('text', '-L --encoding --date --ignore-rev --abbrev'),
  }),
  'rev-parse': subcommand({
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
  'ls-files': subcommand({
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
  'ls-tree': subcommand({
    flags: flags(
      '-r -t -d -l --long -z --name-only --name-status --object-only --full-name --full-tree --abbrev',
    ),
    values: values('text', '--format --abbrev'),
    optionalValues: flags('--abbrev'),
  }),
  'cat-file': subcommand({
    flags: flags(
      '-t -s -e -p --batch --batch-check --batch-all-objects --buffer --unordered -Z --allow-unknown-type',
    ),
    denied: {
      '--textconv': 'it runs textconv filters',
      '--filters': 'it runs clean and smudge filters',
    },
  }),
  grep: subcommand({
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
  describe: subcommand({
    flags: flags(
      '--tags --all --long --always --exact-match --first-parent --contains --dirty --broken',
    ),
    values: values('text', '--abbrev --dirty --broken --match --exclude --candidates'),
    optionalValues: flags('--dirty --broken'),
  }),
  'show-ref': subcommand({
    flags: flags(
      '--heads --tags --head -d --dereference -s --hash --verify --abbrev -q --quiet --exists --branches',
    ),
    values: values('text', '--hash --abbrev'),
    optionalValues: flags('--hash --abbrev'),
  }),
  'for-each-ref': subcommand({
    flags: flags(
      '--shell --perl --python --tcl --ignore-case --omit-empty --merged --no-merged --contains --no-contains',
    ),
    values: values(
      'text',
      '--format --sort --count --points-at --merged --no-merged --contains --no-contains --exclude',
    ),
    optionalValues: flags('--merged --no-merged --contains --no-contains'),
  }),
  'merge-base': subcommand({
    flags: flags('-a --all --octopus --is-ancestor --independent --fork-point'),
  }),
  'check-ignore': subcommand({
    flags: flags('-q --quiet -v --verbose --stdin -z -n --non-matching --no-index'),
  }),
  'check-attr': subcommand({ flags: flags('-a --all --cached --stdin -z') }),
  'count-objects': subcommand({ flags: flags('-v --verbose -H --human-readable') }),
  'name-rev': subcommand({
    flags: flags('--tags --all --name-only --no-undefined --always --annotate-stdin'),
    values: values('text', '--refs --exclude'),
  }),
  cherry: subcommand({ flags: flags('-v'), values: values('text', '--abbrev') }),
  version: subcommand({ flags: flags('--build-options') }),
}
