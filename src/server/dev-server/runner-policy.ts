import { basename } from 'node:path'

import type { CommandChecker, CommandDecision } from './manager.js'

/** Package scripts a dev server may be started with. */
export const DEV_SCRIPTS = ['dev', 'start', 'serve', 'preview', 'develop'] as const

const PACKAGE_RUNNERS = new Set(['npm', 'pnpm', 'yarn', 'bun'])
const PYTHON = new Set(['python', 'python3'])
const PYTHON_MODULES = new Set(['uvicorn', 'flask', 'http.server', 'gunicorn', 'django'])
/** Option-free values only: a dev-server argument never needs shell metacharacters. */
const SAFE_ARG = /^[A-Za-z0-9_@%+=:,./-]+$/

const allow = (reason: string): CommandDecision => ({ allowed: true, reason })
const deny = (reason: string): CommandDecision => ({ allowed: false, reason })

function checkPackageRunner(runner: string, args: readonly string[]): CommandDecision {
  const [first, second, ...rest] = args
  const script = first === 'run' || first === 'run-script' ? second : first
  const extra =
    first === 'run' || first === 'run-script'
      ? rest
      : [second, ...rest].filter((a) => a !== undefined)
  if (script === undefined || !(DEV_SCRIPTS as readonly string[]).includes(script)) {
    return deny(
      `${runner} may only run the scripts ${DEV_SCRIPTS.join(', ')} (got "${args.join(' ')}")`,
    )
  }
  if (extra.some((arg) => !SAFE_ARG.test(arg)))
    return deny('script arguments may not contain shell metacharacters or spaces')
  return allow(`${runner} script "${script}"`)
}

/** A Python script of the project by relative path (`app.py`, `src/server.py`), never an option. */
const PYTHON_SCRIPT = /^[A-Za-z0-9_][A-Za-z0-9_./-]*\.py$/
/** An ASGI app as uvicorn names it: `module:attribute`. */
const ASGI_APP = /^[A-Za-z_][A-Za-z0-9_.]*:[A-Za-z_][A-Za-z0-9_.]*$/
/** flask options that take a value (the word after them is not the subcommand). */
const FLASK_VALUE_OPTIONS = new Set(['--app', '-A', '--env-file', '-e'])

function safeArgs(args: readonly string[]): CommandDecision | null {
  return args.every((arg) => SAFE_ARG.test(arg))
    ? null
    : deny('arguments may not contain shell metacharacters or spaces')
}

/** uvicorn serves an app it is given (`module:attribute`); `--factory` would call any function. */
function checkUvicorn(args: readonly string[]): CommandDecision {
  if (args.some((arg) => arg === '--factory' || arg.startsWith('--factory=')))
    return deny('uvicorn --factory calls a function instead of serving an app; name the app')
  if (!args.some((arg) => ASGI_APP.test(arg)))
    return deny('uvicorn needs the app to serve, as module:attribute (e.g. uvicorn main:app)')
  return safeArgs(args) ?? allow('uvicorn with an app')
}

/** flask only serves (`flask run`); its other subcommands (shell, routes, plugins) are refused. */
function checkFlask(args: readonly string[]): CommandDecision {
  let subcommand: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (FLASK_VALUE_OPTIONS.has(arg)) i++
    else if (!arg.startsWith('-')) {
      subcommand = arg
      break
    }
  }
  if (subcommand !== 'run')
    return deny(`flask may only "run" a dev server (got ${JSON.stringify(subcommand ?? '')})`)
  return safeArgs(args) ?? allow('flask run')
}

function checkPython(args: readonly string[]): CommandDecision {
  const [first, second, ...rest] = args
  if (first === 'manage.py' && second === 'runserver') return allow('django runserver')
  if (first === '-m' && second === 'uvicorn') return checkUvicorn(rest)
  if (first === '-m' && second === 'flask') return checkFlask(rest)
  if (first === '-m' && second !== undefined && PYTHON_MODULES.has(second))
    return allow(`python -m ${second}`)
  if (first !== undefined && PYTHON_SCRIPT.test(first) && !first.split('/').includes('..'))
    return safeArgs(args.slice(1)) ?? allow(`python script ${first} of the project`)
  return deny(
    'python may only run a script of the project (app.py), "manage.py runserver" or -m uvicorn/flask/gunicorn/http.server',
  )
}

/**
 * The strict dev-server runner allowlist (spec §7 item 4): a package manager running a dev
 * script, a Python web server or a Python script of the project (`python app.py`), `cargo run`,
 * `go run`, uvicorn with an app (never `--factory`) or `flask run`. Shells,
 * interpreters with inline code (`node -e`, `python -c`) and `npx` are refused whatever the
 * general bash policy says. Combine with the bash policy through `allCommandCheckers`.
 */
export function checkDevServerRunner(argv: readonly string[]): CommandDecision {
  const [command, ...args] = argv
  if (command === undefined) return deny('empty command')
  if (args.some((arg) => arg.includes('\0'))) return deny('arguments may not contain NUL bytes')
  const name = basename(command)
  if (command !== name) return deny(`give the runner by name, not by path (got "${command}")`)
  if (PACKAGE_RUNNERS.has(name)) return checkPackageRunner(name, args)
  if (PYTHON.has(name)) return checkPython(args)
  if (name === 'poetry' && args[0] === 'run') return checkDevServerRunner(args.slice(1))
  if (name === 'cargo' && args[0] === 'run') return allow('cargo run')
  if (name === 'go' && args[0] === 'run') return allow('go run')
  if (name === 'uvicorn') return checkUvicorn(args)
  if (name === 'flask') return checkFlask(args)
  return deny(
    `"${name}" is not a dev-server runner (allowed: npm, pnpm, yarn, bun, python, poetry, cargo, go, uvicorn, flask)`,
  )
}

/** A checker that allows a command only if every checker does (first refusal wins). */
export function allCommandCheckers(...checkers: CommandChecker[]): CommandChecker {
  return async (argv, context) => {
    const reasons: string[] = []
    for (const checker of checkers) {
      const decision = await checker(argv, context)
      if (!decision.allowed) return decision
      reasons.push(decision.reason)
    }
    return allow(reasons.join('; '))
  }
}

/** argv as one POSIX shell command line, for policies that parse command strings (the bash policy). */
export function quoteArgv(argv: readonly string[]): string {
  return argv.map((arg) => (SAFE_ARG.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ')
}
