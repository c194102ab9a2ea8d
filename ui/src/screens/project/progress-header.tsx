import type { RunStatusView } from '@core/api/index.js'

import { useRun } from '../../api/queries.js'
import { useLiveSelect } from '../../api/live-provider.js'
import { ProgressBar } from '../../components/progress-bar.js'
import { cn } from '../../lib/cn.js'
import { formatDuration, formatUsd } from '../../lib/format.js'
import { useNow } from '../../lib/use-now.js'
import { RunControls } from '../run/run-controls.js'
import { SandboxState } from './sandbox-state.js'

const MODE_LABEL: Record<RunStatusView['mode'], string> = {
  idle: 'Not running',
  running: 'Running',
  paused: 'Paused',
  draining: 'Draining',
  stopping: 'Stopping',
  finished: 'Finished',
}

function Figure({
  label,
  children,
  className,
}: {
  label: string
  children: React.ReactNode
  className?: string
}) {
  return (
    <div className={cn('flex flex-col', className)}>
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="text-sm font-medium whitespace-nowrap">{children}</dd>
    </div>
  )
}

function budgetOf(settings: RunStatusView['settings']): number | null {
  const value = settings?.['maxCostUsd']
  return typeof value === 'number' ? value : null
}

/**
 * Passing/total, run state, agents, elapsed time, the OS sandbox, spend and budget, run controls.
 * Every part has a fixed width, so figures changing while events stream in move nothing.
 */
export function ProgressHeader({ project }: { project: string }) {
  // Only the figures shown here: the header does not re-render for every event.
  const live = useLiveSelect(project, (state) => ({
    run: state.run,
    stats: { passing: state.stats.passing, total: state.stats.total },
    agents: state.agents.size,
    spend: state.spend.costUsd,
    runSpend: state.runSpend?.costUsd,
  }))
  const { data: fetched } = useRun(project)
  const now = useNow(1000)
  const run = live?.run ?? fetched
  const stats = live?.stats ?? fetched?.stats
  const mode = run?.mode ?? 'idle'
  const external = run?.owner === 'external'
  const agents = live ? live.agents : (run?.agents.length ?? 0)
  const budget = budgetOf(run?.settings ?? null)
  const total = live?.spend ?? fetched?.spend.total.costUsd ?? 0
  const runSpend = live ? live.runSpend : fetched?.spend.run?.costUsd
  // Against a budget, what this run spent counts; otherwise the project's total.
  const spend = budget !== null ? (runSpend ?? 0) : total
  const elapsed = run?.startedAt && mode !== 'idle' ? formatDuration(now - run.startedAt) : '—'
  return (
    <section
      aria-label="Progress"
      className="flex flex-wrap items-center gap-x-6 gap-y-2 border-b border-border bg-surface px-4 py-2"
    >
      <div className="flex min-w-56 flex-1 items-center gap-3">
        <h1 className="min-w-12 truncate text-lg font-semibold" title={project}>
          {project}
        </h1>
        <div className="w-32 shrink-0">
          <ProgressBar
            value={stats?.passing ?? 0}
            total={stats?.total ?? 0}
            label="Features passing"
          />
        </div>
        <span className="w-28 shrink-0 text-sm" data-testid="progress-count">
          {stats ? `${stats.passing}/${stats.total} passing` : '…'}
        </span>
      </div>
      <dl className="flex items-center gap-5">
        <Figure label="Run" className="w-24">
          <span
            data-testid="run-mode"
            data-mode={mode}
            className={cn(mode === 'running' && 'text-progress', mode === 'paused' && 'text-warn')}
          >
            {external ? 'Elsewhere' : MODE_LABEL[mode]}
          </span>
        </Figure>
        <Figure label="Agents" className="w-14">
          <span data-testid="agent-count">{agents}</span>
        </Figure>
        <Figure label="Elapsed" className="w-20">
          {elapsed}
        </Figure>
        <Figure label="OS sandbox" className="w-32">
          <SandboxState kind={run?.sandbox ?? null} />
        </Figure>
        <Figure label={budget === null ? 'Spend' : 'Spend / budget'} className="w-32">
          <span
            data-testid="spend"
            title={`project total ${formatUsd(total)}${runSpend === undefined ? '' : `, this run ${formatUsd(runSpend)}`}`}
          >
            {formatUsd(spend)}
            {budget !== null && <span className="text-muted"> / {formatUsd(budget)}</span>}
          </span>
        </Figure>
      </dl>
      <RunControls project={project} />
    </section>
  )
}
