import { lstat, mkdir, readdir, readFile, readlink, rename, rm, writeFile } from 'node:fs/promises'
import { chmod, symlink } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'

import { z } from 'zod'

import type { GitContext } from './git.js'
import { runtimeDirName } from './layout.js'
import { gitPath, pathExists } from './repo.js'

/** One watched path: a file (content, mode), a symbolic link, or nothing. */
const PathState = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), content: z.string(), mode: z.number().int() }),
  z.object({ kind: z.literal('link'), target: z.string() }),
  z.object({ kind: z.literal('absent') }),
])
type PathState = z.infer<typeof PathState>

/**
 * The parts of a repository that make git run programs or read config from elsewhere, as they
 * were when the run started: the common config and per-worktree config, every hook, and for
 * each worktree we trust its `commondir`, `gitdir` and config, and the `.git` file in it.
 */
const GuardSnapshot = z.object({
  version: z.literal(1),
  commonDir: z.string(),
  paths: z.record(z.string(), PathState),
})
type GuardSnapshot = z.infer<typeof GuardSnapshot>

/** Where a run keeps its snapshot, so the next run can restore after a crash. */
export function guardSnapshotPath(projectDir: string): string {
  return join(projectDir, runtimeDirName, 'git-guard.json')
}

async function readState(path: string): Promise<PathState> {
  const info = await lstat(path).catch(() => null)
  if (info === null) return { kind: 'absent' }
  if (info.isSymbolicLink()) return { kind: 'link', target: await readlink(path) }
  if (!info.isFile()) return { kind: 'file', content: '\u0000directory', mode: -1 }
  const content = await readFile(path)
  return { kind: 'file', content: content.toString('base64'), mode: info.mode & 0o7777 }
}

function sameState(a: PathState, b: PathState): boolean {
  if (a.kind !== b.kind) return false
  if (a.kind === 'file' && b.kind === 'file') return a.content === b.content && a.mode === b.mode
  if (a.kind === 'link' && b.kind === 'link') return a.target === b.target
  return true
}

async function writeState(path: string, state: PathState): Promise<void> {
  const info = await lstat(path).catch(() => null)
  if (info?.isDirectory()) await rm(path, { recursive: true, force: true })
  if (state.kind === 'absent') {
    await rm(path, { force: true })
    return
  }
  await mkdir(dirname(path), { recursive: true })
  const temporary = `${path}.autocoder-restore`
  await rm(temporary, { force: true })
  if (state.kind === 'link') await symlink(state.target, temporary)
  else {
    await writeFile(temporary, Buffer.from(state.content, 'base64'))
    await chmod(temporary, state.mode)
  }
  await rename(temporary, path)
}

/** Every path under `dir` that is not a directory (links are not followed). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  const files: string[] = []
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...(await filesUnder(path)))
    else files.push(path)
  }
  return files
}

/**
 * Snapshots and restores the repository state that runs programs (DESIGN principle 5: our own git
 * never runs hooks or repository config an agent could have written). `check()` puts back every
 * watched path that changed and removes hooks that were added; it says what it restored.
 */
export class RepoGuard {
  /** The save under way: saves run one at a time (see `save`). */
  #saving: Promise<void> = Promise.resolve()
  /** Checks, trusts and forgets run one at a time (agents finish and start concurrently). */
  #busy: Promise<unknown> = Promise.resolve()

  private constructor(
    private readonly projectDir: string,
    private snapshot: GuardSnapshot,
    private readonly persist: boolean,
  ) {}

  /**
   * Snapshots the repository of `projectDir`; null when it is not one. With `persist`, a snapshot
   * left by a run that crashed is restored first (it is the state before that run), and this
   * one is kept in `.autocoder/git-guard.json` until `close()`.
   */
  static async open(
    projectDir: string,
    context: GitContext,
    options: { persist: boolean },
  ): Promise<{ guard: RepoGuard; restored: string[] } | null> {
    const commonDir = await gitPath(projectDir, '--git-common-dir', context).catch(() => null)
    if (commonDir === null) return null
    let restored: string[] = []
    if (options.persist) {
      const left = await readSnapshot(projectDir)
      if (left !== null && left.commonDir === commonDir)
        restored = await new RepoGuard(projectDir, left, false).check()
    }
    const paths: Record<string, PathState> = {}
    for (const path of [join(commonDir, 'config'), join(commonDir, 'config.worktree')])
      paths[path] = await readState(path)
    for (const path of await filesUnder(join(commonDir, 'hooks')))
      paths[path] = await readState(path)
    const adminDirs = await readdir(join(commonDir, 'worktrees')).catch(() => [] as string[])
    for (const name of adminDirs) await addAdminDir(paths, join(commonDir, 'worktrees', name))
    const guard = new RepoGuard(projectDir, { version: 1, commonDir, paths }, options.persist)
    await guard.save()
    return { guard, restored }
  }

  /**
   * Trusts a worktree we just created (before any agent ran in it): its `.git` file and its
   * admin directory's `commondir`, `gitdir` and `config.worktree` are watched from now on.
   */
  trustWorktree(worktreeDir: string): Promise<void> {
    return this.exclusive(() => this.trust(worktreeDir))
  }

  private async trust(worktreeDir: string): Promise<void> {
    const dotGit = join(worktreeDir, '.git')
    const text = await readFile(dotGit, 'utf8').catch(() => '')
    const adminDir = /^gitdir: (.+)$/m.exec(text)?.[1]
    if (adminDir === undefined) return
    this.snapshot.paths[dotGit] = await readState(dotGit)
    await addAdminDir(this.snapshot.paths, adminDir)
    await this.save()
  }

  /**
   * Stops watching a worktree we are about to remove. Call it before the removal: a check that
   * runs while the checkout is half gone would otherwise restore its `.git` into it.
   */
  forgetWorktree(worktreeDir: string): Promise<void> {
    return this.exclusive(() => this.forget(worktreeDir))
  }

  private async forget(worktreeDir: string): Promise<void> {
    const dotGit = join(worktreeDir, '.git')
    const state = this.snapshot.paths[dotGit]
    delete this.snapshot.paths[dotGit]
    const adminDir =
      state?.kind === 'file'
        ? /^gitdir: (.+)$/m.exec(Buffer.from(state.content, 'base64').toString('utf8'))?.[1]
        : undefined
    if (adminDir !== undefined)
      for (const path of Object.keys(this.snapshot.paths))
        if (dirname(path) === adminDir) delete this.snapshot.paths[path]
    await this.save()
  }

  /** Restores whatever changed since the snapshot; returns the paths restored (project-relative). */
  check(): Promise<string[]> {
    return this.exclusive(() => this.restore())
  }

  private async restore(): Promise<string[]> {
    const restored: string[] = []
    const hooksDir = join(this.snapshot.commonDir, 'hooks')
    const hooksInfo = await lstat(hooksDir).catch(() => null)
    if (hooksInfo !== null && !hooksInfo.isDirectory()) {
      await rm(hooksDir, { force: true })
      restored.push(hooksDir)
    }
    for (const path of await filesUnder(hooksDir)) {
      if (this.snapshot.paths[path] !== undefined) continue
      await rm(path, { force: true })
      restored.push(path)
    }
    for (const [path, state] of Object.entries(this.snapshot.paths)) {
      // A worktree we removed ourselves is gone with its admin directory: nothing to restore.
      if (state.kind !== 'absent' && !(await pathExists(dirname(path)))) continue
      if (sameState(await readState(path), state)) continue
      await writeState(path, state)
      restored.push(path)
    }
    return [...new Set(restored)].map((path) => relative(this.projectDir, path))
  }

  /** A last check, then the kept snapshot is dropped (the next run takes its own). */
  async close(): Promise<string[]> {
    const restored = await this.check()
    if (this.persist) await rm(guardSnapshotPath(this.projectDir), { force: true })
    return restored
  }

  /**
   * Keeps the snapshot on disk. One save at a time: an agent's worktree is forgotten while the
   * next one's is trusted, and two writers of the one temporary file would lose a rename. Each
   * save writes the snapshot as it is when it runs, so the last one leaves it current.
   */
  private exclusive<T>(run: () => Promise<T>): Promise<T> {
    const result = this.#busy.then(run)
    this.#busy = result.catch(() => undefined)
    return result
  }

  private save(): Promise<void> {
    if (!this.persist) return Promise.resolve()
    const saved = this.#saving.then(async () => {
      const path = guardSnapshotPath(this.projectDir)
      await mkdir(dirname(path), { recursive: true })
      await writeFile(`${path}.tmp`, JSON.stringify(this.snapshot))
      await rename(`${path}.tmp`, path)
    })
    this.#saving = saved.catch(() => undefined)
    return saved
  }
}

/** The snapshot a crashed run left, or null (none, or unreadable: then nothing can be restored). */
async function readSnapshot(projectDir: string): Promise<GuardSnapshot | null> {
  const text = await readFile(guardSnapshotPath(projectDir), 'utf8').catch(() => null)
  if (text === null) return null
  try {
    const parsed = GuardSnapshot.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

async function addAdminDir(paths: Record<string, PathState>, adminDir: string): Promise<void> {
  for (const name of ['commondir', 'gitdir', 'config.worktree']) {
    const path = join(adminDir, name)
    paths[path] = await readState(path)
  }
}
