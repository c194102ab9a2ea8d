import { posix } from 'node:path'

import { computedReason } from './computed-arguments.js'
import type { CheckContext, Invocation, Validator } from './invocation.js'
import { nodeCodeProblem } from './node-code.js'
import { npmConfigProblem } from './npmrc.js'
import { operandWords, parseOptions, valuesOfKind, type OptionSpec } from './option-parser.js'
import { checkWritePath, isInside } from './paths.js'
import { isLiteral, type Word } from './words.js'

const flags = (text: string): string[] => text.split(/\s+/).filter(Boolean)

/**
 * npm, pnpm and yarn: install, ci, test, run of scripts, start, build and reading commands. Not
 * on the lists: explore, exec/dlx of undeclared packages, create/init of packages, link,
 * publish, config writes, editors and browsers. An unknown `--option` before `--` would become
 * an npm setting (`--script-shell=…`), so only listed options pass; everything after `--` goes
 * to the project's own script. A project `.npmrc` with keys off the safe list refuses them all.
 */
const COMMON_FLAGS = flags(`-D --save-dev -S --save -E --save-exact -O --save-optional --save-peer
  -B --save-bundle --no-save -P --save-prod --legacy-peer-deps --strict-peer-deps --force -f
  --silent -s --quiet -q --verbose -d --dd --json --parseable -p --long -l --all -a
  --production --prefer-offline --prefer-online --offline --no-audit --audit --no-fund --fund
  --ignore-scripts --if-present --workspaces -ws --include-workspace-root --dry-run
  --package-lock-only --no-package-lock --color --no-color -y --yes --frozen-lockfile
  --no-frozen-lockfile -r --recursive --no-optional --prod --dev -w --workspace-root
  --shamefully-hoist --reporter=silent --stream --parallel --no-bail --bail --sort --no-sort
  --immutable --check-files --update-checksums --exact --tilde --caret --peer --optional -g
  --help -h --version -v --fix --coverage --watch --run`)
const COMMON_VALUES: OptionSpec['values'] = Object.fromEntries(
  flags(`--loglevel --depth --omit --include --workspace --filter -F --reporter --tag
    --registry --network-concurrency --child-concurrency --workspace-concurrency --before
    --install-strategy --audit-level --cpu --os --libc --mode`).map((name) => [
    name,
    'text' as const,
  ]),
)
const PREFIX_VALUES = Object.fromEntries(
  ['--prefix', '-C', '--dir', '--cwd'].map((name) => [name, 'write' as const]),
)
const SPEC: OptionSpec = {
  flags: COMMON_FLAGS.filter((name) => name !== '-g'),
  values: { ...COMMON_VALUES, ...PREFIX_VALUES },
  denied: {
    '-g': 'global installs write outside the project',
    '--global': 'global installs write outside the project',
    '--location': 'it installs or configures outside the project',
    '--script-shell': 'it changes the shell that runs scripts',
    '--shell': 'it changes the shell npm runs',
    '--userconfig': 'it reads another npm configuration',
    '--globalconfig': 'it reads another npm configuration',
    '--node-options': 'it changes how node runs',
    '--git': 'it changes the git program npm runs',
    '--init-module': 'it runs a module of your choice',
    '--editor': 'it opens an editor',
    '--browser': 'it opens a browser',
    '--viewer': 'it opens a viewer',
    '-c': 'it runs a command line',
    '--call': 'it runs a command line',
    '--package': 'it runs a package that is not declared',
  },
}

const WORKSPACE_OPTIONS = new Set(['--workspace', '-w', '--filter', '-F'])

/** The folder of a workspace selector: `{./dir}`, `...^./dir`, `./dir...` or the name itself. */
function selectorPath(selector: string): string {
  const braced = /\{([^}]*)\}/.exec(selector)?.[1]
  return braced ?? selector.replace(/^\.\.\.\^?(?=[^/])/, '').replace(/\.\.\.$/, '')
}

/** Subcommands (and aliases) that install, test, build or only read. */
const NPM_SUBCOMMANDS = new Set(
  flags(`install i in ins inst insta instal isnt isnta isntal add ci clean-install ic
    install-clean isntall-clean install-test it install-ci-test cit test t tst run run-script
    rum urn start stop restart uninstall un unlink remove rm r update up upgrade ls list la ll
    outdated audit view info show v why explain query prune dedupe ddp rebuild rb pack fund
    prefix root bin ping search find s se shrinkwrap sbom version doctor help-search whoami`),
)
const PNPM_SUBCOMMANDS = new Set(
  flags(`install i add remove rm uninstall un update up upgrade test t run start build ls list
    ll la outdated audit why prune rebuild rb fetch install-test it dedupe root bin licenses
    import store-path`),
)
const YARN_SUBCOMMANDS = new Set(
  flags(`install add remove upgrade up test run start build list outdated audit why info bin
    dedupe`),
)

/** Subcommands that only run when no package follows: init with -y, config reads. */
const READ_ONLY_CONFIG = new Set(['get', 'list', 'ls'])

function checkManager(
  tool: 'npm' | 'pnpm' | 'yarn',
  invocation: Invocation,
  context: CheckContext,
  allowed: ReadonlySet<string>,
): string | null {
  const dashDash = invocation.args.findIndex((word) => word.value === '--')
  const own = dashDash === -1 ? invocation.args : invocation.args.slice(0, dashDash)
  const parsed = parseOptions(tool, own, SPEC)
  if (!parsed.ok) return parsed.reason
  for (const { name, value } of valuesOfKind(parsed.tokens, 'write')) {
    const reason = checkWritePath(isLiteral(value) ? value.value : null, context.scope)
    if (reason) return `${tool} ${name}: ${reason}`
  }
  // a workspace or filter named by path (`-w ../other`) runs another folder's scripts
  for (const { name, value } of valuesOfKind(parsed.tokens, 'text')) {
    if (!WORKSPACE_OPTIONS.has(name)) continue
    const path = isLiteral(value) ? selectorPath(value.value ?? '') : null
    if (path !== null && !/^[.~/]|\.\./.test(path)) continue
    const reason = checkWritePath(path, context.scope)
    if (reason) return `${tool} ${name} ${value.raw}: ${reason}`
  }
  const [subcommand, ...rest] = operandWords(parsed.tokens)
  const config = npmConfigProblem(tool, context)
  if (config) return config
  if (!subcommand) return null
  if (!isLiteral(subcommand)) return `${tool} subcommand ${subcommand.raw} is computed at run time`
  const name = subcommand.value ?? ''
  if (name === 'exec' || name === 'x' || name === 'dlx')
    return checkPackageRun(
      `${tool} ${name}`,
      invocation.args.slice(invocation.args.indexOf(subcommand) + 1),
      context,
    )
  if (name === 'init' || name === 'create' || name === 'innit')
    return rest.length === 0 && name === 'init'
      ? null
      : `${tool} ${name} ${rest[0]?.raw ?? ''}: it runs a package's initializer; write package.json with npm init -y or by hand`
  if (name === 'config' || name === 'c') {
    const action = rest[0]?.value
    return action && READ_ONLY_CONFIG.has(action)
      ? null
      : `${tool} config ${action ?? ''} is refused: settings can change what runs scripts`
  }
  if (!allowed.has(name))
    return `${tool} ${name} is not on the list of ${tool} subcommands the policy allows (install, ci, test, run, start, build and reading commands)`
  if (/^(install|i|in|add|ins|inst|insta|instal|isnt|isnta|isntal|update|up|upgrade)$/.test(name)) {
    for (const spec of rest) {
      if (!isLiteral(spec))
        return `${tool} ${name} ${spec.raw}: a package name computed at run time`
      if (packageName(spec.value ?? '') === null)
        return `${tool} ${name} ${spec.value ?? ''}: only registry packages (name or name@version) may be installed, not paths, URLs or git repositories`
    }
  }
  return null
}

export const validateNpm: Validator = (invocation, context) =>
  outsideProject('npm', context) ?? checkManager('npm', invocation, context, NPM_SUBCOMMANDS)
export const validatePnpm: Validator = (invocation, context) =>
  outsideProject('pnpm', context) ?? checkManager('pnpm', invocation, context, PNPM_SUBCOMMANDS)
export const validateYarn: Validator = (invocation, context) =>
  outsideProject('yarn', context) ?? checkManager('yarn', invocation, context, YARN_SUBCOMMANDS)

/**
 * A package manager runs the scripts and reads the configuration of the folder it is in:
 * after `cd ../other` that is another project's code, so it runs only inside this one.
 */
function outsideProject(tool: string, context: CheckContext): string | null {
  const { scope } = context
  const roots = scope.writeRoots.map((root) => scope.resolvePath(posix.resolve(root)))
  const outside = scope.bases.find(
    (base) => !roots.some((root) => isInside(scope.resolvePath(posix.resolve(base)), root)),
  )
  return outside === undefined
    ? null
    : `${tool} would run in ${outside}, outside the project, with that folder's package.json and scripts; run it inside the project`
}

/** npx options that take no value. */
const NPX_FLAGS = new Set([
  '-y',
  '--yes',
  '--no',
  '--no-install',
  '-q',
  '--quiet',
  '--ignore-existing',
  '--prefer-offline',
  '--prefer-online',
  '--silent',
  '-s',
])

/**
 * `npx`, `npm exec`/`npm x` and `pnpm dlx`/`pnpm exec` run only packages the project declares
 * (package.json dependencies of the project or worktree) or the config allows (`npx_packages`).
 * `-p`/`-c` are refused: they run an arbitrary command line through a shell.
 */
export const validateNpx: Validator = (invocation, context) =>
  outsideProject('npx', context) ??
  npmConfigProblem('npx', context) ??
  checkPackageRun('npx', invocation.args, context)

function checkPackageRun(
  label: string,
  words: readonly Word[],
  context: CheckContext,
): string | null {
  const packages = context.rules.npxPackages
  for (const [index, word] of words.entries()) {
    if (!isLiteral(word)) return `${label} with an argument computed at run time`
    const value = word.value ?? ''
    if (value === '--') continue
    if (value.startsWith('-')) {
      if (NPX_FLAGS.has(value)) continue
      return `${label} ${value} is refused: ${label} may only run a declared package directly (${label} <package> [args])`
    }
    const name = packageName(value)
    if (name === null) return `${label} ${value} is not a package name`
    if (!packages.has(name)) {
      return `${label} ${value}: ${name} is not declared in package.json or allowed by npx_packages in .autocoder/allowed_commands.yaml`
    }
    return packageArgumentsProblem(`${label} ${name}`, words.slice(index + 1), context)
  }
  return `${label} without a package`
}

/**
 * The arguments of a declared package's program. Its options are not known here, so any of them
 * may name a file it writes (`prettier --write`, `tsc --outDir=`, `eslint -o`): each argument,
 * and the value after `=` in an option, must be a path the agent may write, and none may be
 * computed at run time. The code of `tsx -e` is checked as node's.
 */
export function packageArgumentsProblem(
  label: string,
  words: readonly Word[],
  context: CheckContext,
): string | null {
  const runsCode = /(^|[\s/])(tsx|ts-node)$/.test(label)
  for (const [index, word] of words.entries()) {
    if (!isLiteral(word)) return computedReason(label, word)
    const value = word.value ?? ''
    const code = words[index + 1]
    if (runsCode && /^(-e|--eval|-p|--print)$/.test(value) && code && isLiteral(code)) {
      const reason = nodeCodeProblem(code.value ?? '', context.scope)
      if (reason) return `${label} ${value}: ${reason}`
    }
    const path = /^-[^=]*=/.test(value) ? value.slice(value.indexOf('=') + 1) : value
    if (path === '' || (path.startsWith('-') && path === value)) continue
    const reason = checkWritePath(path, context.scope)
    if (reason)
      return `${label} ${value}: ${reason} (an argument of a package's program may be a file it writes)`
  }
  return null
}

/** `typescript@5` -> `typescript`, `@scope/pkg@1` -> `@scope/pkg`; null for paths and URLs. */
export function packageName(spec: string): string | null {
  if (
    spec.includes(':') ||
    spec.startsWith('.') ||
    spec.startsWith('/') ||
    spec.startsWith('~') ||
    /\.(tgz|tar|tar\.gz)$/i.test(spec)
  )
    return null
  const at = spec.indexOf('@', 1)
  const name = at === -1 ? spec : spec.slice(0, at)
  return /^(@[a-z0-9._~-]+\/)?[a-z0-9._~-]+$/i.test(name) ? name : null
}
