import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

import { withWorktreeAdmin } from './admin-lock.js'
import { type GitContext, git, gitOk } from './git.js'
import { verifyWorktreePath } from './layout.js'
import { type NodeModulesMode, linkNodeModules, removeCheckout } from './worktrees.js'

/**
 * The detached worktree the merge check runs in, reused between merges and scrubbed of the last
 * check's files.
 */
export class VerificationWorktree {
  /**
   * The `.git` file of the verification worktree as git wrote it. The check runs agent-written code
   * in that worktree; a `.git` file it rewrote could point our next checkout at a repository of its
   * making, so the worktree is reused only while the file is still ours.
   */
  #trustedDotGit: string | null = null

  constructor(
    private readonly projectDir: string,
    private readonly nodeModules: NodeModulesMode = 'symlink',
  ) {}

  /** The worktree at `commit`: reused when it is still ours, else made again. Returns its path. */
  async checkout(commit: string, context: GitContext): Promise<string> {
    const { projectDir } = this
    const path = verifyWorktreePath(projectDir)
    const dotGit = await readFile(join(path, '.git'), 'utf8').catch(() => null)
    const reused =
      this.#trustedDotGit !== null &&
      dotGit === this.#trustedDotGit &&
      (await git(path, ['checkout', '-q', '--detach', '--force', commit], context)).exitCode === 0
    if (reused) {
      await gitOk(path, ['clean', '-q', '-ffdx', '-e', 'node_modules'], context)
    } else {
      await withWorktreeAdmin(projectDir, async () => {
        await removeCheckout(projectDir, path, context)
        await gitOk(projectDir, ['worktree', 'add', '-q', '--detach', path, commit], context)
      })
      this.#trustedDotGit = await readFile(join(path, '.git'), 'utf8')
    }
    if (this.nodeModules === 'symlink') await linkNodeModules(projectDir, path)
    return path
  }
}
