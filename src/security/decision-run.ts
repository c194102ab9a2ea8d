import { posix } from 'node:path'

import type { PolicyContext } from './decide-bash.js'
import type { PolicyFlag } from './invocation.js'
import { linkHazard, type LinkMaker, type PathUse } from './link-hazards.js'
import { resolveLexically, type PathScope, type ResolvePath } from './paths.js'
import type { RuleSource } from './policy-rules.js'

/** What one decision gathers while it checks a command line, and the views the checks take of it. */

/** The state of one decision: what ran, from where, and what later steps must know. */
export interface Run {
  readonly context: PolicyContext
  readonly commands: string[]
  readonly sources: Map<string, RuleSource>
  readonly flags: Set<PolicyFlag>
  readonly bases: string[]
  readonly resolvePath: ResolvePath
  /** Values assigned to shell variables in this command (raw text after `=`), by name. */
  readonly assigned: Map<string, string[]>
  readonly linkMakers: LinkMaker[]
  readonly pathUses: PathUse[]
  /** Steps that must run with the worktree or project root as their directory (git). */
  readonly rootOnly: string[]
  nextStep: number
}

/** A fresh decision for one command line, checked from the session's cwd and its shell's cwd. */
export function startRun(context: PolicyContext): Run {
  const resolvePath = remembered(context.resolvePath ?? resolveLexically)
  const bases = [context.cwd, context.shellCwd ?? context.cwd].map((dir) =>
    resolvePath(posix.resolve(dir)),
  )
  return {
    context,
    commands: [],
    sources: new Map(),
    flags: new Set(),
    bases: [...new Set(bases)],
    resolvePath,
    assigned: new Map(),
    linkMakers: [],
    pathUses: [],
    rootOnly: [],
    nextStep: 0,
  }
}

/** One decision looks at the disk as it is before the command runs: each path is resolved once. */
function remembered(resolvePath: ResolvePath): ResolvePath {
  const seen = new Map<string, string>()
  return (path) => {
    let real = seen.get(path)
    if (real === undefined) {
      real = resolvePath(path)
      seen.set(path, real)
    }
    return real
  }
}

/** Where one step may read and write; `record` keeps the paths it uses for the link check. */
export function pathScope(run: Run, step: number, label: string, record = true): PathScope {
  return {
    bases: run.bases,
    writeRoots: [run.context.cwd, run.context.projectDir],
    homeDir: run.context.homeDir,
    resolvePath: run.resolvePath,
    record: record ? (path) => run.pathUses.push({ command: step, path, label }) : undefined,
  }
}

/** Records that a step may create symbolic links under these paths (or anywhere). */
export function recordLinkMaker(
  run: Run,
  step: number,
  maker: string,
  within: 'anywhere' | readonly (string | null)[],
): void {
  const paths = within === 'anywhere' || within.includes(null) ? 'anywhere' : (within as string[])
  run.linkMakers.push({
    command: step,
    label: maker,
    within:
      paths === 'anywhere'
        ? 'anywhere'
        : paths.flatMap((path) =>
            run.bases.map((base) => run.resolvePath(posix.resolve(base, path))),
          ),
  })
}

/** Checks that need every step of the command: git's directory and symbolic-link hazards. */
export function wholeCommandProblem(run: Run): string | null {
  const [label] = run.rootOnly
  if (label !== undefined) {
    const roots = [run.context.cwd, run.context.projectDir].map((dir) =>
      run.resolvePath(posix.resolve(dir)),
    )
    const elsewhere = run.bases.find((base) => !roots.includes(base))
    if (elsewhere !== undefined)
      return `${label} must run in the worktree root, not ${elsewhere} (a repository there could run programs through its own config); run cd ${roots[0] ?? ''} as a command of its own first`
  }
  return linkHazard(run.linkMakers, run.pathUses)
}
