import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

import { tempDir } from '../../helpers/tmp.js'
import { ensureRepository } from '../../../src/workspace/index.js'

/** Runs git synchronously (tests only) and returns trimmed stdout. */
export function gitSync(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim()
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
}

export function readText(dir: string, path: string): string {
  return readFileSync(join(dir, path), 'utf8')
}

/** A temporary project that is a git repository on `main` with the given files committed. */
export async function tempProject(
  files: Record<string, string> = { 'README.md': '# demo\n' },
): Promise<{ path: string; branch: string } & Disposable> {
  const dir = tempDir('autocoder-ws-')
  writeFiles(dir.path, files)
  const repo = await ensureRepository(dir.path)
  if (!repo.ok) throw new Error(repo.error.message)
  return {
    path: dir.path,
    branch: repo.value.branch,
    [Symbol.dispose]: () => dir[Symbol.dispose](),
  }
}

/** Commits on the project branch that the merge queue made (first-parent, with the agent trailer). */
export function queueMerges(projectDir: string, branch = 'main'): string[] {
  const out = gitSync(
    projectDir,
    'log',
    '--first-parent',
    '--format=%H',
    '--grep=^Autocoder-Agent: ',
    branch,
  )
  return out === '' ? [] : out.split('\n')
}
