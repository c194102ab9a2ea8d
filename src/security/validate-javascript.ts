import { argValues, type CheckContext, type Invocation, type Validator } from './invocation.js'
import { checkWritePath } from './paths.js'

/** npm/npx options that change which shell or program runs scripts, or install outside the project. */
const NPM_DENIED_OPTIONS =
  /^(--script-shell|--shell|--userconfig|--globalconfig|--node-options|--git|-g|--global|--location|--call|-c|--package|-p|--init-module|--editor|--browser|--viewer)(=|$)/

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
 * `npx`, `npm exec`/`npm x` and `pnpm dlx` run only packages the project declares (package.json
 * dependencies of the project or worktree) or the config allows (`npx_packages`). `-p`/`-c` are
 * refused: they run an arbitrary command line through a shell.
 */
export const validateNpx: Validator = (invocation, { rules }) =>
  checkPackageRun('npx', argValues(invocation), rules.npxPackages)

/** `npm`: allowed (reference), except exec without a declared package, global installs and shell overrides. */
export const validateNpm: Validator = (invocation, context) => {
  const { rules } = context
  const values = argValues(invocation)
  const dirs = checkPackageManagerDirs(values, context)
  if (dirs) return `npm ${dirs}`
  for (const value of values) {
    if (value === null) continue
    if (value === '--') break
    if (NPM_DENIED_OPTIONS.test(value))
      return `npm ${value} is refused: it changes what runs scripts or installs outside the project`
  }
  const subcommandIndex = values.findIndex((value) => value === null || !value.startsWith('-'))
  const subcommand = values[subcommandIndex]
  if (subcommand === null) return 'npm subcommand computed at run time'
  const rest = values.slice(subcommandIndex + 1)
  if (subcommand === 'exec' || subcommand === 'x')
    return checkPackageRun('npm exec', rest, rules.npxPackages)
  if (
    (subcommand === 'config' || subcommand === 'c') &&
    (rest[0] === 'set' || rest[0] === 'edit' || rest[0] === 'delete')
  ) {
    return `npm config ${rest[0]} is refused: npm settings can change what runs scripts`
  }
  if (subcommand === 'set') return 'npm set is refused: npm settings can change what runs scripts'
  return null
}

/** `pnpm`: allowed, except `dlx` of undeclared packages, global installs and shell overrides. */
export const validatePnpm: Validator = (invocation, context) => {
  const { rules } = context
  const values = argValues(invocation)
  const dirs = checkPackageManagerDirs(values, context)
  if (dirs) return `pnpm ${dirs}`
  for (const value of values) {
    if (value === null) continue
    if (value === '--') break
    if (NPM_DENIED_OPTIONS.test(value) && value !== '-c')
      return `pnpm ${value} is refused: it changes what runs scripts or installs outside the project`
  }
  const subcommandIndex = values.findIndex((value) => value === null || !value.startsWith('-'))
  const subcommand = values[subcommandIndex]
  if (subcommand === null) return 'pnpm subcommand computed at run time'
  const rest = values.slice(subcommandIndex + 1)
  if (subcommand === 'dlx') return checkPackageRun('pnpm dlx', rest, rules.npxPackages)
  if (subcommand === 'config' && rest[0] === 'set')
    return 'pnpm config set is refused: settings can change what runs scripts'
  return null
}

function checkPackageRun(
  label: string,
  values: readonly (string | null)[],
  packages: ReadonlySet<string>,
): string | null {
  for (const value of values) {
    if (value === null) return `${label} with an argument computed at run time`
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
    return null
  }
  return `${label} without a package`
}

/** `typescript@5` -> `typescript`, `@scope/pkg@1` -> `@scope/pkg`; null for paths and URLs. */
export function packageName(spec: string): string | null {
  if (spec.includes(':') || spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('~'))
    return null
  const at = spec.indexOf('@', 1)
  const name = at === -1 ? spec : spec.slice(0, at)
  return /^(@[a-z0-9._~-]+\/)?[a-z0-9._~-]+$/i.test(name) ? name : null
}

/** node options whose next word is a value, not the script. */
const NODE_VALUE_OPTIONS = new Set([
  '-r',
  '--require',
  '--import',
  '--loader',
  '--experimental-loader',
  '-C',
  '--conditions',
  '--input-type',
  '--env-file',
  '--watch-path',
  '--test-reporter',
  '--test-reporter-destination',
  '--test-name-pattern',
  '--stack-size',
  '--title',
])
const NODE_EVAL = new Set(['-e', '--eval', '-p', '--print'])
const NODE_NO_STDIN = new Set([
  '-v',
  '--version',
  '-h',
  '--help',
  '--test',
  '--run',
  '-c',
  '--check',
  '--v8-options',
])

/**
 * `node script.js` runs; `node -e`/`node -p` stay allowed (agents need them) but are flagged so the
 * caller logs them; node reading a program from stdin (`curl … | node`, `node -`) is refused.
 */
export const validateNode: Validator = (invocation: Invocation, context) => {
  const values = argValues(invocation)
  for (let i = 0; i < values.length; i++) {
    const value = values[i]
    if (value === null || value === undefined)
      return 'node would run a script whose path is computed at run time (a download or a pipe)'
    if (NODE_EVAL.has(value) || /^-[a-z]*[ep]$/.test(value)) {
      if (values[i + 1] === null)
        return `node ${value} with code computed at run time (a download or a pipe) is refused`
      context.flags.add('node-eval')
      return null
    }
    if (/^(-e|-p|--eval|--print)=/.test(value)) {
      context.flags.add('node-eval')
      return null
    }
    if (NODE_NO_STDIN.has(value)) return null
    if (value === '-') return 'node - reads a program from stdin'
    if (value === '--')
      return values[i + 1] === undefined
        ? 'node reads a program from stdin'
        : checkScript(values[i + 1] ?? null)
    if (NODE_VALUE_OPTIONS.has(value)) {
      if (values[i + 1] === null || isStdinPath(values[i + 1] ?? ''))
        return `node ${value} loads code from a pipe or a computed path`
      i++
      continue
    }
    if (value.startsWith('-')) continue
    return checkScript(value)
  }
  return 'node without a script reads a program from stdin'
}

function checkScript(script: string | null): string | null {
  if (script === null) return 'node would run a script whose path is computed at run time'
  return isStdinPath(script) ? `node ${script} reads a program from stdin` : null
}

function isStdinPath(path: string): boolean {
  return /^\/(dev\/(stdin|fd\/)|proc\/[^/]+\/fd\/)/.test(path)
}

/** npm/pnpm `--prefix`, `-C`, `--dir` name the directory they install into: it stays inside the roots. */
export function checkPackageManagerDirs(
  values: readonly (string | null)[],
  context: CheckContext,
): string | null {
  for (let i = 0; i < values.length; i++) {
    const value = values[i]
    if (value === null || value === undefined || value === '--') {
      if (value === '--') return null
      continue
    }
    const [option] = value.split('=', 1)
    if (option !== '--prefix' && option !== '-C' && option !== '--dir') continue
    const dir = value.includes('=')
      ? value.slice((option ?? '').length + 1)
      : (values[i + 1] ?? null)
    const reason = checkWritePath(dir, context.scope)
    if (reason) return `${option}: ${reason}`
  }
  return null
}
