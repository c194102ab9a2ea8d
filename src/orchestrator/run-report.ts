import type { ProjectStore } from '../store/index.js'
import type { RecoverySummary } from './recovery.js'
import type { Finish } from './run-lifecycle.js'
import type { RunReport } from './run-types.js'

/** Records how a run ended (`run.deadlock` with the report, `run.finished`) and reports it. */
export function recordFinish(
  store: ProjectStore,
  runId: string,
  finish: Finish,
  recovery: RecoverySummary | null,
): RunReport {
  if (finish.deadlock) {
    store.events.append({
      type: 'run.deadlock',
      runId,
      blocked: finish.deadlock.blocked.map(({ id, waitingOn, missing }) => ({
        id,
        waitingOn,
        missing,
      })),
      cycles: finish.deadlock.cycles,
    })
  }
  store.events.append({
    type: 'run.finished',
    runId,
    reason: finish.reason,
    message: finish.message,
    ...(finish.code === undefined ? {} : { code: finish.code }),
  })
  return {
    runId,
    reason: finish.reason,
    message: finish.message,
    stats: store.features.stats(),
    spend: store.sessions.totals(runId),
    recovery,
    deadlock: finish.deadlock ?? null,
    code: finish.code ?? null,
  }
}
