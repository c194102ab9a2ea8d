import { isInside } from './paths.js'

/**
 * Symbolic links made while a command runs are invisible to the path checks, which look at the
 * disk before it runs: `git checkout old -- link && echo x > link/file` writes wherever the
 * committed link points. So a command that may create links (git commands that update the work
 * tree, `cp -a`, `mv`…) may not also read or write other files: each step that touches a path
 * must run as its own command, when the link is on disk and the check follows it.
 */

/** A step that may create symbolic links while it runs. */
export interface LinkMaker {
  readonly command: number
  readonly label: string
  /** Where links may appear: under these resolved paths, or anywhere in the work tree. */
  readonly within: 'anywhere' | readonly string[]
}

/** A path some step reads or writes, resolved as the checks saw it. */
export interface PathUse {
  readonly command: number
  readonly path: string
  readonly label: string
}

/** The first use of a path another step may have turned into a link, as a deny reason. */
export function linkHazard(makers: readonly LinkMaker[], uses: readonly PathUse[]): string | null {
  for (const use of uses) {
    for (const maker of makers) {
      if (maker.command === use.command) continue
      const reached =
        maker.within === 'anywhere' || maker.within.some((root) => isInside(use.path, root))
      if (reached)
        return `${use.label}: the same command also runs ${maker.label}, which can replace that path with a symbolic link the policy cannot see yet; run ${maker.label} as a command of its own first`
    }
  }
  return null
}
