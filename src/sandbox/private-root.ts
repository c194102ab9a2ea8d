import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** `autocoder-sandbox-<pid>-<start>-XXXXXX`: the process that made the folder, and when it started. */
const ROOT_NAME = /^autocoder-(?:sandbox|unsandboxed)-(\d+)-(\d+)-[A-Za-z0-9]{6}$/

/**
 * When a process started (clock ticks since boot, /proc/<pid>/stat field 22), so that a pid
 * reused by another process does not count as the same one; 0 where there is no /proc (macOS),
 * or undefined when the process is gone.
 */
function startTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19])
  } catch {
    if (process.platform === 'linux') return undefined
    try {
      process.kill(pid, 0)
      return 0
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM' ? 0 : undefined
    }
  }
}

/**
 * Removes the private folders of sandboxes whose process is gone (it crashed or was killed before
 * `close()`): their pods died with it, their temp files and sockets stay otherwise. Folders of
 * other users and of live processes are left alone.
 */
export function sweepStaleRoots(base = tmpdir()): string[] {
  const removed: string[] = []
  let names: string[]
  try {
    names = readdirSync(base)
  } catch {
    return removed
  }
  for (const name of names) {
    const match = ROOT_NAME.exec(name)
    if (!match) continue
    const path = join(base, name)
    try {
      if (statSync(path).uid !== process.getuid?.()) continue
    } catch {
      continue
    }
    const start = startTime(Number(match[1]))
    if (start !== undefined && (start === 0 || start === Number(match[2]))) continue
    rmSync(path, { recursive: true, force: true })
    removed.push(path)
  }
  return removed
}

/**
 * A new private folder (0700) for one sandbox, named after this process so that a later sandbox
 * can remove it if this process dies without `close()`; stale folders are swept first.
 */
export function makePrivateRoot(kind: 'sandbox' | 'unsandboxed'): string {
  sweepStaleRoots()
  return mkdtempSync(
    join(tmpdir(), `autocoder-${kind}-${process.pid}-${startTime(process.pid) ?? 0}-`),
  )
}

const atExit = new Set<() => void>()

/**
 * Runs `cleanup` (synchronous: kill the pod, remove the folder) if this process exits while the
 * sandbox is open (`process.exit`, the end of the event loop); returns the function that forgets
 * it, for `close()`. A crash by signal skips it: the pod then dies with its parent and the folder
 * goes at the next `sweepStaleRoots`.
 */
export function cleanUpAtExit(cleanup: () => void): () => void {
  if (atExit.size === 0) process.once('exit', runAtExit)
  atExit.add(cleanup)
  return () => {
    atExit.delete(cleanup)
    if (atExit.size === 0) process.removeListener('exit', runAtExit)
  }
}

function runAtExit(): void {
  for (const cleanup of atExit) {
    try {
      cleanup()
    } catch {
      // the others still run
    }
  }
  atExit.clear()
}
