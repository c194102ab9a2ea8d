import { resolve } from 'node:path'

/** Runs tasks with the same key one after another, in call order; different keys overlap. */
function keyedSerializer(): <T>(key: string, task: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>()
  return <T>(key: string, task: () => Promise<T>): Promise<T> => {
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
}

const worktreeAdmin = keyedSerializer()
const projectMerges = keyedSerializer()

/**
 * Runs `task` when no other worktree administration of the same project is running. git is not
 * safe against concurrent `worktree add/remove/prune/list` in one repository (a listing can read a
 * worktree that is half created and fail); one orchestrator per project makes this lock enough.
 */
export function withWorktreeAdmin<T>(projectDir: string, task: () => Promise<T>): Promise<T> {
  return worktreeAdmin(resolve(projectDir), task)
}

/**
 * Runs `task` when no other merge into the same project is running, whichever queue it came from:
 * merges share the verification worktree, the publish journal and the user's checkout.
 */
export function withProjectMerge<T>(projectDir: string, task: () => Promise<T>): Promise<T> {
  return projectMerges(resolve(projectDir), task)
}
