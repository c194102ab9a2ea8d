import { computedReason } from './computed-arguments.js'
import { mergeStrategyProblem } from './git-options.js'
import type { CheckContext } from './invocation.js'
import { operandWords, parseOptions, type OptionSpec } from './option-parser.js'
import { checkReadPath, checkWritePath } from './paths.js'
import { isLiteral, type Word } from './words.js'

/**
 * git commands that talk to other repositories: fetch, pull, push, clone, remote, ls-remote. A
 * repository is a remote the project configured (`origin`) or a path, which is read (fetch,
 * clone) or written (push) under the same rules as any file; network URLs (and user@host:path)
 * are refused, so git talks only to the hosts the person chose. Transport helpers
 * (`ext::cmd`, `fd::`, any `name::address`) run programs and are refused, as are
 * --upload-pack/--receive-pack/--exec.
 */

const flags = (text: string): string[] => text.split(/\s+/).filter(Boolean)
const text = (names: string): Record<string, 'text'> =>
  Object.fromEntries(flags(names).map((name) => [name, 'text' as const]))

const PROGRAM = 'it runs a program on the other side'
const SUBMODULES = 'submodules run their own configuration'

const FETCH_FLAGS = flags(`--all -a --append --atomic --unshallow --update-shallow --dry-run -f
  --force -k --keep --multiple --prefetch -p --prune -P --prune-tags -n --no-tags -t --tags
  --refetch -q --quiet -v --verbose --progress --no-progress --set-upstream -4 --ipv4 -6 --ipv6
  --no-write-fetch-head --write-fetch-head --no-auto-gc --auto-gc --no-recurse-submodules
  --no-show-forced-updates --show-forced-updates`)
const FETCH_VALUES = text(`--depth --deepen --shallow-since --shallow-exclude --filter -j --jobs
  --refmap -o --server-option --negotiation-tip`)
const TRANSFER_DENIED = {
  '--upload-pack': PROGRAM,
  '--receive-pack': PROGRAM,
  '--exec': PROGRAM,
  '--recurse-submodules': SUBMODULES,
  '--signed': 'it runs gpg',
}

const FETCH: OptionSpec = { flags: FETCH_FLAGS, values: FETCH_VALUES, denied: TRANSFER_DENIED }
const PULL: OptionSpec = {
  flags: [
    ...FETCH_FLAGS,
    ...flags(`--no-rebase --ff-only --ff --no-ff --squash --no-squash --commit --no-commit
      --no-edit --autostash --no-autostash --stat -n --no-stat --allow-unrelated-histories
      --verify --no-verify --no-gpg-sign -r --rebase --log --no-log --signoff`),
  ],
  values: { ...FETCH_VALUES, ...text('-s --strategy -X --strategy-option --rebase --log') },
  optionalValues: ['--rebase', '--log'],
  denied: {
    ...TRANSFER_DENIED,
    '-e': 'it opens an editor',
    '--edit': 'it opens an editor',
    '-S': 'it runs gpg',
    '--gpg-sign': 'it runs gpg',
  },
}
const PUSH: OptionSpec = {
  flags: flags(`--all --branches --mirror --tags --follow-tags --no-follow-tags --atomic
    --no-atomic -n --dry-run --porcelain --delete -d --prune -f --force --force-with-lease
    --force-if-includes --no-force-if-includes -u --set-upstream -q --quiet -v --verbose --progress
    --no-progress --no-verify --verify --thin --no-thin -4 --ipv4 -6 --ipv6`),
  values: text('--force-with-lease -o --push-option'),
  optionalValues: ['--force-with-lease'],
  denied: { ...TRANSFER_DENIED, '--repo': 'name the repository as an argument instead' },
}
const CLONE: OptionSpec = {
  flags: flags(`--single-branch --no-single-branch --no-tags --tags -q --quiet --progress -v
    --verbose --bare --mirror -l --local --no-local --no-hardlinks -s --shared --sparse
    --no-checkout -n --reject-shallow --no-reject-shallow`),
  values: text(`--depth -b --branch -o --origin --filter --shallow-since --shallow-exclude -j
    --jobs`),
  denied: {
    ...TRANSFER_DENIED,
    '-u': PROGRAM,
    '-c': 'it sets configuration that can run programs',
    '--config': 'it sets configuration that can run programs',
    '--template': 'it copies hooks from a template directory',
    '--separate-git-dir': 'it puts the repository elsewhere',
    '--reference': 'it reads another repository',
    '--reference-if-able': 'it reads another repository',
  },
}

type RemoteCheck = (label: string, words: readonly Word[], context: CheckContext) => string | null

export const GIT_REMOTE_COMMANDS: Readonly<Record<string, RemoteCheck>> = {
  fetch: (label, words, context) => transfer(label, words, FETCH, 'read', context),
  pull: (label, words, context) => {
    const parsed = parseOptions(label, words, PULL)
    const reason = parsed.ok
      ? (mergeStrategyProblem(label, parsed.tokens) ??
        transfer(label, words, PULL, 'read', context))
      : parsed.reason
    if (reason === null) context.makesLinks(label, 'anywhere')
    return reason
  },
  push: (label, words, context) => transfer(label, words, PUSH, 'write', context),
  'ls-remote': (label, words, context) =>
    transfer(
      label,
      words,
      {
        flags: flags(
          '--heads --tags --refs -q --quiet --exit-code --get-url --symref -b --branches',
        ),
        values: text('--sort -o --server-option'),
        denied: TRANSFER_DENIED,
      },
      'read',
      context,
    ),
  clone: checkClone,
  remote: checkRemoteCommand,
  submodule: (label, words) =>
    words.length === 0 ||
    (words[0]?.value === 'status' &&
      words.slice(1).every((word) => /^--(cached|recursive)$/.test(word.value ?? '')))
      ? null
      : `${label} is refused except "git submodule status": ${SUBMODULES}`,
  'sparse-checkout': (label, words) =>
    words.length === 1 && words[0]?.value === 'list'
      ? null
      : `${label} is refused except "git sparse-checkout list"`,
}

function transfer(
  label: string,
  words: readonly Word[],
  spec: OptionSpec,
  access: 'read' | 'write',
  context: CheckContext,
): string | null {
  const parsed = parseOptions(label, words, spec)
  if (!parsed.ok) return parsed.reason
  const [repository] = operandWords(parsed.tokens)
  return repository ? checkRemote(label, repository, access, context) : null
}

function checkClone(label: string, words: readonly Word[], context: CheckContext): string | null {
  const parsed = parseOptions(label, words, CLONE)
  if (!parsed.ok) return parsed.reason
  const [repository, directory] = operandWords(parsed.tokens)
  if (!repository) return `${label} needs a repository`
  const source = checkRemote(label, repository, 'read', context)
  if (source) return source
  const target = directory ?? null
  if (target) {
    const reason = checkWritePath(target.pattern ? null : target.value, context.scope)
    if (reason) return `${label}: ${reason}`
  }
  context.makesLinks(label, target ? [target.value] : 'anywhere')
  return null
}

const REMOTE_ACTIONS = new Set([
  'add',
  'set-url',
  'show',
  'get-url',
  'remove',
  'rm',
  'rename',
  'prune',
  'set-head',
  'update',
  '-v',
  '--verbose',
])

function checkRemoteCommand(
  label: string,
  words: readonly Word[],
  context: CheckContext,
): string | null {
  const computed = words.find((word) => !isLiteral(word))
  if (computed) return computedReason(label, computed)
  const action = words[0]?.value ?? undefined
  if (action === undefined) return null
  if (!REMOTE_ACTIONS.has(action))
    return `git remote ${action} is not on the list of git remote actions the policy allows`
  if (action !== 'add' && action !== 'set-url') return null
  const parsed = parseOptions(`git remote ${action}`, words.slice(1), {
    flags: flags('-f --fetch --tags --no-tags --push --add --delete --mirror'),
    values: text('-t --track -m --master'),
    optionalValues: ['--mirror'],
  })
  if (!parsed.ok) return parsed.reason
  const url = operandWords(parsed.tokens).at(-1)
  return url ? checkRemote(`git remote ${action}`, url, 'write', context) : null
}

/** A repository location: a configured remote name, or a path checked like any file git reads or writes. */
export function checkRemote(
  label: string,
  word: Word,
  access: 'read' | 'write',
  context: CheckContext,
): string | null {
  if (!isLiteral(word)) return `${label}: the repository ${word.raw} is computed at run time`
  const value = word.value ?? ''
  if (/::/.test(value) || /^(ext|fd)::/.test(value))
    return `${label} ${value}: a transport helper runs a program`
  if (/^file:\/\//i.test(value))
    return checkPath(label, value.slice('file://'.length), access, context)
  // a URL, or scp-like user@host:path (a colon before any slash)
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value) || /^[^/]*:/.test(value))
    return `${label} ${value}: git reaches other hosts only through the remotes the project configured (git fetch origin, git push origin BRANCH); a URL could send the repository anywhere`
  // a configured remote name, or a path
  if (/^[A-Za-z0-9_.-]+$/.test(value) && !value.startsWith('.')) return null
  return checkPath(label, value, access, context)
}

function checkPath(
  label: string,
  path: string,
  access: 'read' | 'write',
  context: CheckContext,
): string | null {
  const reason =
    access === 'write' ? checkWritePath(path, context.scope) : checkReadPath(path, context.scope)
  return reason ? `${label}: ${reason}` : null
}
