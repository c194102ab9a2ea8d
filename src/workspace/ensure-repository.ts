import { appendFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

import { type Clock, ok, type Result } from '../core/index.js'
import { type WorkspaceError, WorkspaceFailure, toWorkspaceError } from './errors.js'
import { type GitContext, git, gitContext, gitOk, splitNul } from './git.js'
import { agentBranchPrefix, ignoredPaths } from './layout.js'
import { canonicalPath, currentBranch, gitPath, resolveCommit } from './repo.js'

export interface EnsureRepositoryOptions {
  /** Branch name for a new repository; default `main`. */
  defaultBranch?: string
  /** Identity written to the repository's local config when none is configured. */
  identity?: { name: string; email: string }
  timeoutMs?: number
  signal?: AbortSignal
  clock?: Clock
}

export interface RepositoryInfo {
  /** The project branch: the branch checked out in the project directory. */
  branch: string
  /** True when this call ran `git init`. */
  created: boolean
  /** The commit this call made because the branch had none yet, else null. */
  initialCommit: string | null
  /** Uncommitted paths left as they were: agents start from the last commit and do not see them. */
  uncommittedPaths: string[]
}

const defaultIdentity = { name: 'autocoder', email: 'autocoder@localhost' }

/**
 * Makes `projectDir` a git repository of its own (idempotent) and returns its project branch.
 *
 * - Not a repository (or only inside a parent repository): `git init`, a `.gitignore`, and an
 *   initial commit of everything that is there.
 * - A repository whose branch has no commit yet: the same initial commit (worktrees need a base).
 * - A repository with commits: nothing is committed; uncommitted changes stay where they are and
 *   are listed in `uncommittedPaths`, so the caller can warn that agents will not see them.
 * Always: a local identity if none is configured, and autocoder's runtime paths in
 * `.git/info/exclude` (shared by all worktrees, never committed).
 */
export async function ensureRepository(
  projectDir: string,
  options: EnsureRepositoryOptions = {},
): Promise<Result<RepositoryInfo, WorkspaceError>> {
  try {
    return ok(await ensure(projectDir, options, gitContext(options)))
  } catch (thrown) {
    return { ok: false, error: toWorkspaceError(thrown) }
  }
}

async function ensure(
  projectDir: string,
  options: EnsureRepositoryOptions,
  context: GitContext,
): Promise<RepositoryInfo> {
  const isDirectory = await stat(projectDir).then(
    (info) => info.isDirectory(),
    () => false,
  )
  if (!isDirectory)
    throw new WorkspaceFailure(
      'NOT_A_DIRECTORY',
      `${projectDir} does not exist or is not a directory; create it first.`,
    )

  const created = !(await isOwnRepository(projectDir, context))
  if (created)
    await gitOk(
      projectDir,
      ['init', '-q', `--initial-branch=${options.defaultBranch ?? 'main'}`],
      context,
    )

  await ensureIdentity(projectDir, options.identity ?? defaultIdentity, context)
  await ensureExcluded(projectDir, context)

  const branch = await currentBranch(projectDir, context)
  if (branch === null) {
    throw new WorkspaceFailure(
      'DETACHED_HEAD',
      `${projectDir} has a detached HEAD; check out the branch autocoder should build on (git switch <branch>) and retry.`,
    )
  }

  if (branch.startsWith(agentBranchPrefix)) {
    throw new WorkspaceFailure(
      'AGENT_BRANCH',
      `${projectDir} is on the agent branch ${branch}; point autocoder at the project directory and check out its own branch there.`,
    )
  }

  let initialCommit: string | null = null
  if ((await resolveCommit(projectDir, 'HEAD', context)) === null) {
    await ensureGitignore(projectDir)
    await gitOk(projectDir, ['add', '-A'], context)
    await gitOk(
      projectDir,
      [
        'commit',
        '-q',
        '--no-verify',
        '--no-gpg-sign',
        '--allow-empty',
        '-m',
        'Initial commit (autocoder)',
      ],
      context,
    )
    initialCommit = await resolveCommit(projectDir, 'HEAD', context)
  }
  return {
    branch,
    created,
    initialCommit,
    uncommittedPaths: await uncommittedPaths(projectDir, context),
  }
}

/** True when `dir` is the top of a non-bare repository (not just somewhere inside a parent one). */
async function isOwnRepository(dir: string, context: GitContext): Promise<boolean> {
  const bare = await git(dir, ['rev-parse', '--is-bare-repository'], context)
  if (bare.exitCode !== 0) return false
  if (bare.stdout.trim() === 'true') {
    throw new WorkspaceFailure(
      'BARE_REPOSITORY',
      `${dir} is a bare git repository; point autocoder at a checkout instead.`,
    )
  }
  const top = await git(dir, ['rev-parse', '--show-toplevel'], context)
  if (top.exitCode !== 0) return false
  return (await canonicalPath(top.stdout.trim())) === (await canonicalPath(dir))
}

/**
 * The commit identity git uses in `dir` (its config, the person's global one), or null when none
 * is configured or `dir` is no repository. Agents' commits inside the sandbox, where the global
 * config is not visible, use it.
 */
export async function readGitIdentity(
  dir: string,
  options: { clock?: Clock; timeoutMs?: number } = {},
): Promise<{ name: string; email: string } | null> {
  const context = gitContext(options)
  try {
    const [name, email] = await Promise.all(
      ['user.name', 'user.email'].map(async (key) => {
        const result = await git(dir, ['config', '--get', key], context)
        return result.exitCode === 0 ? result.stdout.trim() : ''
      }),
    )
    return name && email ? { name, email } : null
  } catch {
    // No git, or no directory: agents commit with whatever identity git finds inside.
    return null
  }
}

async function ensureIdentity(
  dir: string,
  identity: { name: string; email: string },
  context: GitContext,
): Promise<void> {
  for (const [key, value] of [
    ['user.name', identity.name],
    ['user.email', identity.email],
  ] as const) {
    const current = await git(dir, ['config', '--get', key], context)
    if (current.exitCode !== 0 || current.stdout.trim() === '')
      await gitOk(dir, ['config', '--local', key, value], context)
  }
}

async function ensureExcluded(dir: string, context: GitContext): Promise<void> {
  const excludeFile = join(await gitPath(dir, '--git-common-dir', context), 'info', 'exclude')
  await mkdir(dirname(excludeFile), { recursive: true })
  await appendMissingLines(
    excludeFile,
    '# autocoder runtime files (worktrees, database, logs, shared node_modules link)',
  )
}

async function ensureGitignore(dir: string): Promise<void> {
  await appendMissingLines(join(dir, '.gitignore'), '# autocoder runtime files')
}

async function appendMissingLines(file: string, header: string): Promise<void> {
  const existing = await readFile(file, 'utf8').catch(() => null)
  if (existing === null) {
    await writeFile(file, `${header}\n${ignoredPaths.join('\n')}\n`)
    return
  }
  const present = new Set(existing.split(/\r?\n/).map((line) => line.trim()))
  const missing = ignoredPaths.filter((line) => !present.has(line))
  if (missing.length === 0) return
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n'
  await appendFile(file, `${separator}${header}\n${missing.join('\n')}\n`)
}

/** Paths with uncommitted changes (staged, unstaged or untracked), from `git status`. */
export async function uncommittedPaths(dir: string, context: GitContext): Promise<string[]> {
  const fields = splitNul(
    await gitOk(dir, ['status', '--porcelain', '-z', '--untracked-files=all'], context),
  )
  const paths: string[] = []
  for (let index = 0; index < fields.length; index++) {
    const field = fields[index]!
    paths.push(field.slice(3))
    // A rename or copy is followed by its source path.
    if (field[0] === 'R' || field[0] === 'C') index++
  }
  return paths
}
