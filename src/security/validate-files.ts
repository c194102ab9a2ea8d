import { posix } from 'node:path'

import { argValues, operands, type CheckContext, type Validator } from './invocation.js'
import { checkWritePath, expandBraces, isInside } from './paths.js'

/** Commands whose operands are all files they create, change, move or delete. */
export const validateWrittenPaths: Validator = (invocation, context) => {
  if (invocation.argsFromStdin)
    return `${invocation.base} under xargs takes file names that cannot be checked`
  const values = argValues(invocation)
  if (values.includes('--no-preserve-root')) return 'rm --no-preserve-root is refused'
  const targets = [...operands(values), ...optionValues(values, ['-t', '--target-directory'])]
  if (targets.length === 0 && invocation.base !== 'tee') return `${invocation.base} needs a file`
  for (const target of targets) {
    const reason = checkWritePath(target, context.scope)
    if (reason) return `${invocation.base}: ${reason}`
    if (invocation.base === 'rm' && isRoot(target, context))
      return `rm would delete the whole working directory (${target})`
  }
  return null
}

/** `chmod` (reference): no flags, exactly one `+x`-style mode, at least one file inside the roots. */
export const validateChmod: Validator = (invocation, context) => {
  const values = argValues(invocation)
  if (values.some((value) => value === null)) return 'chmod has an argument computed at run time'
  const words = values as string[]
  if (words.some((word) => word.startsWith('-'))) return 'chmod flags are not allowed'
  const [mode, ...files] = words
  if (!mode || !/^[ugoa]*\+x$/.test(mode))
    return `chmod may only add execute permission (+x, u+x), got ${mode ?? 'nothing'}`
  if (files.length === 0 && !invocation.argsFromStdin) return 'chmod needs at least one file'
  if (invocation.argsFromStdin) return 'chmod under xargs takes file names that cannot be checked'
  for (const file of files) {
    const reason = checkWritePath(file, context.scope)
    if (reason) return `chmod: ${reason}`
  }
  return null
}

/** The project's init script may run only as the init.sh of the worktree or project itself. */
export const validateInitScript: Validator = (invocation, context) =>
  validateInitPath(invocation.name, context)

export function validateInitPath(path: string, context: CheckContext): string | null {
  if (!path.includes('/')) return 'run the init script as ./init.sh (a bare name would search PATH)'
  const allowed = [context.cwd, context.projectDir].map((dir) =>
    context.scope.resolvePath(posix.resolve(dir, 'init.sh')),
  )
  for (const base of context.scope.bases) {
    const real = context.scope.resolvePath(path.startsWith('/') ? path : `${base}/${path}`)
    if (!allowed.includes(real))
      return `${path} is not this project's init.sh (resolves to ${real})`
  }
  return null
}

/** `find` may search; actions that run commands or write files are refused. */
export const validateFind: Validator = (invocation) => {
  for (const value of argValues(invocation)) {
    if (value === null) continue
    if (/^-(exec|execdir|ok|okdir|delete|fprint|fprint0|fprintf|fls)$/.test(value)) {
      return `find ${value} runs commands or changes files; list the files and act on them with checked commands`
    }
  }
  return null
}

/** `cd` must name a fixed directory; later relative paths are checked from every directory seen. */
export const validateCd: Validator = (invocation) => {
  const targets = operands(argValues(invocation))
  if (targets.length === 0)
    return 'cd without a directory goes to the home directory; name a directory in the project'
  const [target] = targets
  if (target === null || target === undefined)
    return 'cd to a directory computed at run time cannot be followed'
  if (target === '-') return 'cd - cannot be followed'
  return null
}

/** Values of options such as `-t DIR` and `--target-directory=DIR`. */
function optionValues(
  values: readonly (string | null)[],
  names: readonly string[],
): (string | null)[] {
  const out: (string | null)[] = []
  values.forEach((value, index) => {
    if (value === null) return
    if (names.includes(value)) out.push(values[index + 1] ?? null)
    for (const name of names)
      if (value.startsWith(`${name}=`)) out.push(value.slice(name.length + 1))
  })
  return out
}

function isRoot(target: string | null, context: CheckContext): boolean {
  if (target === null) return false
  const roots = [context.cwd, context.projectDir].map((dir) =>
    context.scope.resolvePath(posix.resolve(dir)),
  )
  const variants = expandBraces(target) ?? [target]
  return context.scope.bases.some((base) =>
    variants.some((variant) => {
      const real = context.scope.resolvePath(
        variant.startsWith('/') ? variant : `${base}/${variant}`,
      )
      return roots.some((root) => real === root || isInside(root, real))
    }),
  )
}
