import { resolve } from 'node:path'

// git is not safe against concurrent `worktree add/remove/prune/list` in one repository (a listing
// can read a worktree that is half created and fail). Every such call in this process runs
// through this per-project lock; one orchestrator per project makes it sufficient.
const tails = new Map<string, Promise<unknown>>()

/** Runs `task` when no other worktree administration of the same project is running. */
export function withWorktreeAdmin<T>(projectDir: string, task: () => Promise<T>): Promise<T> {
  const key = resolve(projectDir)
  const previous = tails.get(key) ?? Promise.resolve()
  const result = previous.then(task, task)
  const tail = result.then(
    () => undefined,
    () => undefined,
  )
  tails.set(key, tail)
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key)
  })
  return result
}
