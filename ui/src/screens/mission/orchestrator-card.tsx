import type { RunStatusView } from '@core/api/index.js'

import type { LiveState } from '../../api/live-state.js'
import { formatDuration, formatUsd } from '../../lib/format.js'

function setting(run: RunStatusView, key: string): number | null {
  const value = run.settings?.[key]
  return typeof value === 'number' ? value : null
}

function Stat({
  label,
  value,
  testId,
}: {
  label: string
  value: React.ReactNode
  testId?: string
}) {
  return (
    <div>
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="text-sm font-medium" {...(testId ? { 'data-testid': testId } : {})}>
        {value}
      </dd>
    </div>
  )
}

/** The orchestrator: mode, slots in use, testing agents, merge queue, budget and last result. */
export function OrchestratorCard({ live, now }: { live: LiveState; now: number }) {
  const { run } = live
  const agents = [...live.agents.values()]
  const coding = agents.filter((agent) => agent.role === 'coding').length
  const testing = agents.filter((agent) => agent.role === 'testing').length
  const slots = setting(run, 'concurrency')
  const testingSlots = setting(run, 'testingAgents')
  const budget = setting(run, 'maxCostUsd')
  const active = run.mode !== 'idle' && run.mode !== 'finished'
  return (
    <section
      aria-labelledby="orchestrator-heading"
      className="rounded-lg border border-border bg-surface p-3"
    >
      <h2 id="orchestrator-heading" className="text-sm font-semibold">
        Orchestrator
      </h2>
      <dl className="mt-2 grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7">
        <Stat
          label="Mode"
          testId="orchestrator-mode"
          value={run.owner === 'external' ? 'run elsewhere' : run.mode}
        />
        <Stat
          label="Coding slots"
          value={active && slots !== null ? `${coding} / ${slots}` : '—'}
          testId="coding-slots"
        />
        <Stat
          label="Testing agents"
          value={active && testingSlots !== null ? `${testing} / ${testingSlots}` : '—'}
        />
        <Stat
          label="Merge queue"
          value={
            live.mergeQueue.length === 0
              ? 'empty'
              : live.mergeQueue.map((id) => `#${id}`).join(', ')
          }
        />
        <Stat
          label="Elapsed"
          value={active && run.startedAt ? formatDuration(now - run.startedAt) : '—'}
        />
        <Stat
          label="This run spent"
          value={`${formatUsd(live.runSpend?.costUsd ?? 0)}${budget === null ? '' : ` of ${formatUsd(budget)}`}`}
        />
        <Stat
          label="Ready / blocked"
          value={`${live.stats.pending} pending · ${live.stats.needsHuman} asking`}
        />
      </dl>
      {run.mode === 'draining' && run.drainReason && (
        <p className="mt-2 text-sm text-warn">Draining: {run.drainReason}</p>
      )}
      {run.mode === 'paused' && (
        <p className="mt-2 text-sm text-warn">Paused: running agents finish, none start.</p>
      )}
      {!active && run.lastRun && (
        <p className="mt-2 text-sm text-muted">
          Last run ended ({run.lastRun.reason}): {run.lastRun.message}
        </p>
      )}
    </section>
  )
}
