import { hostname } from 'node:os'

// core/result.js, not core's index (which loads zod): `autocoder status` opens the database without it.
import { err, ok } from '../core/result.js'
import type { Result, Clock } from '../core/index.js'
import type { Db } from './database.js'
import type { StoreError } from './error-codes.js'

export interface OrchestratorLock {
  owner: string
  pid: number
  host: string
  acquiredAt: number
  leaseUntil: number
}

/** The lock's row as it is, expired or not (`autocoder status` reads it without a repo). */
export function readLock(db: Db): OrchestratorLock | undefined {
  const row = db.prepare('SELECT * FROM orchestrator_lock WHERE id = 1').get() as
    | { owner: string; pid: number; host: string; acquired_at: number; lease_until: number }
    | undefined
  return (
    row && {
      owner: row.owner,
      pid: row.pid,
      host: row.host,
      acquiredAt: row.acquired_at,
      leaseUntil: row.lease_until,
    }
  )
}

/** Whether a process with this pid exists on this host (signal 0; EPERM: it exists, not ours). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Whether a lock's holder still runs: on another host we cannot tell (the lease decides); on this
 * host its process must exist, so a crashed run does not count as running until its lease ends.
 */
export function lockHolderAlive(lock: OrchestratorLock): boolean {
  return lock.host !== hostname() || processAlive(lock.pid)
}

/** The lock of the orchestrator running the project now (lease not run out, holder alive), if any. */
export function liveLock(
  db: Db,
  now: number,
  isAlive: (lock: OrchestratorLock) => boolean = lockHolderAlive,
): OrchestratorLock | null {
  const lock = readLock(db)
  return lock && lock.leaseUntil > now && isAlive(lock) ? lock : null
}

/** The one-orchestrator-per-project lock: a single row with owner and lease. */
export class LockRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  current(): OrchestratorLock | undefined {
    return readLock(this.db)
  }

  /**
   * Takes the lock if it is free, expired, or already ours. `isAlive` lets the caller treat a holder
   * on this host whose process is gone as expired (a crashed orchestrator).
   */
  acquire(
    holder: Omit<OrchestratorLock, 'acquiredAt' | 'leaseUntil'>,
    leaseMs: number,
    isAlive: (lock: OrchestratorLock) => boolean,
  ): Result<OrchestratorLock, StoreError> {
    return this.db
      .transaction((): Result<OrchestratorLock, StoreError> => {
        const now = this.clock.now()
        const existing = this.current()
        if (
          existing &&
          existing.owner !== holder.owner &&
          existing.leaseUntil > now &&
          isAlive(existing)
        ) {
          return err(
            'PROJECT_LOCKED',
            `Another orchestrator (${existing.owner}, pid ${existing.pid} on ${existing.host}) is running this project; stop it first or wait for it to finish.`,
          )
        }
        this.db
          .prepare(
            `INSERT INTO orchestrator_lock (id, owner, pid, host, acquired_at, lease_until) VALUES (1, ?, ?, ?, ?, ?)
             ON CONFLICT(id) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, host = excluded.host,
               acquired_at = excluded.acquired_at, lease_until = excluded.lease_until`,
          )
          .run(holder.owner, holder.pid, holder.host, now, now + leaseMs)
        return ok(this.current()!)
      })
      .immediate()
  }

  /** Extends our lease; false if the lock is no longer ours. */
  renew(owner: string, leaseMs: number): boolean {
    return (
      this.db
        .prepare('UPDATE orchestrator_lock SET lease_until = ? WHERE id = 1 AND owner = ?')
        .run(this.clock.now() + leaseMs, owner).changes === 1
    )
  }

  release(owner: string): void {
    this.db.prepare('DELETE FROM orchestrator_lock WHERE id = 1 AND owner = ?').run(owner)
  }
}
