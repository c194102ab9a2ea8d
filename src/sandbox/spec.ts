import { isAbsolute, normalize } from 'node:path'

import { err, ok } from '../core/index.js'
import type { Result } from '../core/index.js'
import { parseHostPattern } from './host-allowlist.js'
import type { SandboxError, SandboxSpec } from './types.js'

/** Quotes one word for POSIX shells: safe for any text without NUL bytes (newlines included). */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`
}

/**
 * Shell text that prints why `command` cannot run and fails: what `wrapShellCommand` returns for
 * text no process argument can carry (a NUL byte).
 */
export function refusalText(label: string, reason: string): string {
  return `{ printf '%s\\n' ${shellQuote(`autocoder sandbox ${label}: ${reason}`)} >&2; false; }`
}

/**
 * `command` as a quoted `printf %b` argument without single quotes in it (`\\` for a backslash,
 * `\x27` for a quote), which the enter scripts decode with `printf -v command %b "$2"`. Every
 * further layer of single quoting (Claude Code's Bash tool puts the command in `eval '...'`, with
 * `'"'"'` for each quote) leaves it as it is; a plain quoted word grew 16-fold per quote there and
 * a command of 10,000 quotes passed the kernel's 128 KiB limit for one argument.
 */
export function printfArgument(command: string): string {
  return `'${command.replaceAll('\\', '\\\\').replaceAll("'", '\\x27')}'`
}

/**
 * What `wrapShellCommand` returns: bash runs the sandbox's enter script with the directory and
 * the encoded command, or text that says why it cannot (a NUL byte, a relative directory).
 */
export function enterCall(label: string, enter: string, command: string, cwd: string): string {
  if (command.includes('\0') || cwd.includes('\0'))
    return refusalText(label, 'the command contains a NUL byte, which no shell can run.')
  if (!isAbsolute(cwd))
    return refusalText(label, `the directory ${cwd} is not absolute; pass the full path.`)
  return `/bin/bash --norc --noprofile ${shellQuote(enter)} ${shellQuote(cwd)} ${printfArgument(command)}`
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * Variables the dynamic loader and libc load code or data by: the sandbox's environment reaches
 * the programs that join the pod before they drop their privileges, so it may not hold these.
 */
const LOADER_ENV = /^(?:LD_\w*|GCONV_PATH|GLIBC_TUNABLES|LOCPATH|MALLOC_\w*)$/

/** The first name in `env` the loader acts on, if any (see LOADER_ENV). */
export function loaderVariable(env: Readonly<Record<string, string>>): string | undefined {
  return Object.keys(env).find((name) => LOADER_ENV.test(name))
}

/** Checks a spec: non-empty label, absolute paths (normalized, never `/`), valid host patterns and env. */
export function validateSpec(spec: SandboxSpec): Result<SandboxSpec, SandboxError> {
  const bad = (message: string): Result<SandboxSpec, SandboxError> =>
    err('SANDBOX_BAD_SPEC', `Sandbox ${JSON.stringify(spec.label)}: ${message}`)
  if (spec.label.trim() === '' || /[\0\n]/.test(spec.label))
    return bad('the label is empty or has a NUL/newline; give the agent id or a name.')
  const lists = {
    writable: spec.writable,
    readOnly: spec.readOnly,
    hidden: spec.hidden,
    readable: spec.readable ?? [],
  }
  const normalized: Record<string, string[]> = {}
  for (const [name, paths] of Object.entries(lists)) {
    normalized[name] = []
    for (const path of paths) {
      if (!isAbsolute(path) || path.includes('\0'))
        return bad(`${name} path ${JSON.stringify(path)} is not an absolute path; pass one.`)
      const clean = normalize(path).replace(/(.)\/+$/, '$1')
      if (clean === '/' && name !== 'readOnly' && name !== 'readable')
        return bad(`${name} may not be the root directory "/"; name the directories themselves.`)
      normalized[name]?.push(clean)
    }
  }
  for (const host of spec.allowedHosts) {
    const parsed = parseHostPattern(host)
    if (!parsed.ok) return bad(parsed.error.message)
  }
  const loader = loaderVariable(spec.env)
  if (loader !== undefined)
    return bad(
      `environment variable ${loader} would reach the programs that enter the sandbox while they still have privileges; set it in the command itself.`,
    )
  for (const [name, value] of Object.entries(spec.env)) {
    if (!ENV_NAME.test(name))
      return bad(`environment variable name ${JSON.stringify(name)} is not valid; rename it.`)
    if (value.includes('\0'))
      return bad(`environment variable ${name} contains a NUL byte; remove it.`)
  }
  return ok({
    ...spec,
    writable: normalized['writable'] ?? [],
    readOnly: normalized['readOnly'] ?? [],
    hidden: normalized['hidden'] ?? [],
    readable: normalized['readable'] ?? [],
  })
}
