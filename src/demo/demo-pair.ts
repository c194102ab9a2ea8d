import type { Clock } from '../core/index.js'

/** How long a member of the merge-conflict pair waits for the other (then it goes on alone). */
export const PAIR_WAIT_MS = 120_000
const POLL_MS = 200

interface Member {
  agent: string
  featureIds: readonly number[]
  ready: boolean
}

/**
 * The merge-conflict scenario's pair: the first two coding agents after the skeleton, working at
 * the same time. Both add a line to src/index.mjs. An agent's work merges once it has reported
 * every feature it holds, so the pair's order holds at each member's last report: the leader
 * reports once the follower has committed its work; the follower reports once the leader's work
 * is merged, so its own merge conflicts, every time and in that order. A member holding an
 * `avoid` feature (the failing-check one) follows: its rejected merge would leave nothing to
 * conflict with.
 */
export class ConflictPair {
  readonly #members: Member[] = []
  /** Features whose export line a pair member wrote (the follower's is redone after the conflict). */
  readonly exported = new Set<number>()

  constructor(
    private readonly options: {
      clock: Clock
      /** Whether a feature is still claimed (its agent's merge has not been recorded yet). */
      isClaimed: (featureId: number) => boolean
      /** Features a pair leader should not hold (the failing-check one). */
      avoid: (featureId: number) => boolean
      waitMs?: number
    },
  ) {}

  /** Registers a coding agent at its first request; true when it is (now) a member. */
  join(agent: string, featureIds: readonly number[]): boolean {
    if (this.#members.some((member) => member.agent === agent)) return true
    if (this.#members.length >= 2) return false
    this.#members.push({ agent, featureIds, ready: false })
    return true
  }

  isMember(agent: string): boolean {
    return this.#members.some((member) => member.agent === agent)
  }

  /**
   * Waits at a member's last report until the pair's order allows it (or the wait limit
   * passes: with one agent at a time there is no partner and the run goes on without a conflict).
   */
  async beforeLastReport(agent: string, signal?: AbortSignal): Promise<void> {
    const deadline = this.options.clock.now() + (this.options.waitMs ?? PAIR_WAIT_MS)
    const waitFor = async (condition: () => boolean): Promise<void> => {
      while (!condition() && this.options.clock.now() < deadline && !signal?.aborted) {
        await this.options.clock.sleep(POLL_MS, signal).catch(() => undefined)
      }
    }
    await waitFor(() => this.#members.length === 2)
    const [leader, follower] = this.#roles()
    if (!leader || !follower) return
    if (agent === leader.agent) return waitFor(() => follower.ready)
    follower.ready = true
    return waitFor(() => leader.featureIds.every((id) => !this.options.isClaimed(id)))
  }

  #roles(): [Member | undefined, Member | undefined] {
    const [first, second] = this.#members
    if (!first || !second) return [first, second]
    const holdsAvoided = (member: Member): boolean => member.featureIds.some(this.options.avoid)
    return holdsAvoided(first) ? [second, first] : [first, second]
  }
}
