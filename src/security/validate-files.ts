import { posix } from 'node:path'

import { argValues, operands, type CheckContext, type Validator } from './invocation.js'
import { computedReason } from './computed-arguments.js'
import { checkReadPath, checkWritePath, expandBraces, isInside } from './paths.js'
import { isLiteral, mayBeOption, writesThroughWildcard, type Word } from './words.js'

function wildcardReason(name: string, word: Word): string {
  return `${name} ${word.raw}: a wildcard in a path that is written may match a symbolic link, which would be followed; name the files`
}

/** Commands whose operands are all files they create, change, move or delete. */
export const validateWrittenPaths: Validator = (invocation, context) => {
  if (invocation.argsFromStdin)
    return `${invocation.base} under xargs takes file names that cannot be checked`
  const values = argValues(invocation)
  if (values.includes('--no-preserve-root')) return 'rm --no-preserve-root is refused'
  const wildcard = writtenThroughWildcard(invocation.base, invocation.args)
  if (wildcard) return wildcardReason(invocation.base, wildcard)
  const targets = [...operands(values), ...optionValues(values, ['-t', '--target-directory'])]
  if (targets.length === 0 && invocation.base !== 'tee') return `${invocation.base} needs a file`
  for (const target of targets) {
    const reason = checkWritePath(target, context.scope)
    if (reason) return `${invocation.base}: ${reason}`
    if (invocation.base === 'rm' && isRoot(target, context))
      return `rm would delete the whole working directory (${target})`
  }
  if (invocation.base === 'mv' || (invocation.base === 'cp' && copiesLinks(values))) {
    const explicit = optionValues(values, ['-t', '--target-directory'])
    const destination = explicit.length > 0 ? explicit : operands(values).slice(-1)
    context.makesLinks(invocation.base, destination)
  }
  return null
}

/**
 * A written operand with a wildcard: rm removes a matched link itself, cp and mv write only to
 * their destination (the last operand, or -t), touch, mkdir and tee to every operand.
 */
function writtenThroughWildcard(base: string, args: readonly Word[]): Word | undefined {
  if (base === 'rm') return undefined
  if (base !== 'cp' && base !== 'mv') return args.find(writesThroughWildcard)
  const written = args.filter(
    (word, i) =>
      i === args.length - 1 ||
      word.prefix.startsWith('-') ||
      /^(-t|--target-directory)$/.test(args[i - 1]?.value ?? ''),
  )
  return written.find(writesThroughWildcard)
}

/** cp options that copy symbolic links as links (or make new ones) instead of their targets. */
function copiesLinks(values: readonly (string | null)[]): boolean {
  return values.some(
    (value) =>
      value !== null &&
      (/^-[A-Za-z]*[adPRrs]/.test(value) ||
        /^--(archive|no-dereference|recursive|symbolic-link|preserve=.*(links|all).*)$/.test(
          value,
        )),
  )
}

/** `chmod` (reference): no flags, exactly one `+x`-style mode, at least one file inside the roots. */
export const validateChmod: Validator = (invocation, context) => {
  const values = argValues(invocation)
  if (values.some((value) => value === null)) return 'chmod has an argument computed at run time'
  const words = values as string[]
  if (words.some((word) => word.startsWith('-'))) return 'chmod flags are not allowed'
  const wildcard = invocation.args.find(writesThroughWildcard)
  if (wildcard) return wildcardReason('chmod', wildcard)
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

/** find primaries that take no value, and those that take one (`read`: a file it opens). */
const FIND_PRIMARIES: Readonly<Record<string, 0 | 'text' | 'read'>> = {
  ...Object.fromEntries(
    [
      ...['-empty', '-print', '-print0', '-ls', '-prune', '-quit', '-true', '-false', '-not', '!'],
      ...['-a', '-and', '-o', '-or', '(', ')', ',', '-depth', '-d', '-follow', '-mount', '-xdev'],
      ...['-noleaf', '-readable', '-writable', '-executable', '-nouser', '-nogroup', '-daystart'],
      ...['-ignore_readdir_race', '-noignore_readdir_race', '-warn', '-nowarn'],
    ].map((name) => [name, 0 as const]),
  ),
  ...Object.fromEntries(
    [
      ...['-name', '-iname', '-path', '-ipath', '-wholename', '-iwholename', '-regex', '-iregex'],
      ...['-regextype', '-type', '-xtype', '-maxdepth', '-mindepth', '-mtime', '-mmin', '-atime'],
      ...[
        '-amin',
        '-ctime',
        '-cmin',
        '-size',
        '-perm',
        '-uid',
        '-gid',
        '-user',
        '-group',
        '-links',
      ],
      ...['-inum', '-lname', '-ilname', '-fstype', '-printf', '-used'],
    ].map((name) => [name, 'text' as const]),
  ),
  ...Object.fromEntries(
    ['-newer', '-anewer', '-cnewer', '-samefile'].map((name) => [name, 'read' as const]),
  ),
}

/**
 * `find` may search and print: its starting points are read recursively, and its expression may
 * use only the primaries above. Actions that run commands or write files (-exec, -ok, -delete,
 * -fprint…) and -files0-from are not on the list.
 */
export const validateFind: Validator = (invocation, context) => {
  const words = invocation.args
  let index = 0
  while (index < words.length && /^-([HLP]|O\d|D)$/.test(words[index]?.value ?? '')) {
    index += words[index]?.value === '-D' ? 2 : 1
  }
  for (; index < words.length; index++) {
    const word = words[index] as Word
    if (isLiteral(word) && /^[-(!,)]/.test(word.value ?? '')) break
    if (mayBeOption(word)) return computedReason('find', word)
    const reason = checkReadPath(word.value, context.scope, true)
    if (reason) return `find: ${reason}`
  }
  for (; index < words.length; index++) {
    const word = words[index] as Word
    if (!isLiteral(word)) return computedReason('find', word)
    const primary = word.value ?? ''
    const kind = FIND_PRIMARIES[primary] ?? newerKind(primary)
    if (kind === undefined) {
      return `find ${primary} is not on the list of find tests the policy allows (-exec, -ok, -delete and -fprint run commands or write files); list the files and act on them with checked commands`
    }
    if (kind === 0) continue
    const value = words[++index]
    if (value === undefined) return `find ${primary} needs a value`
    if (kind === 'read') {
      const reason = checkReadPath(isLiteral(value) ? value.value : null, context.scope)
      if (reason) return `find ${primary}: ${reason}`
    }
  }
  return null
}

/** `-newerXY ref`: a file to compare with, or a date when Y is t. */
function newerKind(primary: string): 'text' | 'read' | undefined {
  if (/^-newer[amcB]t$/.test(primary)) return 'text'
  return /^-newer[amcB][amcB]$/.test(primary) ? 'read' : undefined
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
