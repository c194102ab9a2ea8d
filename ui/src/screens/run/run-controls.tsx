import { Minus, Pause, Play, Plus, Square, Timer } from 'lucide-react'
import { memo, useState } from 'react'

import { useLiveSelect } from '../../api/live-provider.js'
import { useRunControl } from '../../api/mutations.js'
import { useRun } from '../../api/queries.js'
import { useShortcut } from '../../app/shortcuts.js'
import { Button } from '../../components/button.js'
import { ErrorPanel } from '../../components/error-panel.js'
import { StartRunDialog } from './start-run-dialog.js'

const MAX_CONCURRENCY = 10

function settingNumber(
  settings: Record<string, unknown> | null | undefined,
  key: string,
): number | null {
  const value = settings?.[key]
  return typeof value === 'number' ? value : null
}

/** Start, pause, resume, drain, stop, and coding agents at once while a run is going. */
export const RunControls = memo(function RunControls({ project }: { project: string }) {
  const fetched = useRun(project).data
  const run = useLiveSelect(project, (live) => live.run) ?? fetched
  const { start, act, concurrency } = useRunControl(project)
  const [starting, setStarting] = useState(false)
  const mode = run?.mode ?? 'idle'
  const ours = run?.owner !== 'external'
  const active = ours && (mode === 'running' || mode === 'paused' || mode === 'draining')
  const coding = settingNumber(run?.settings, 'concurrency')
  const busy = act.isPending || concurrency.isPending || start.isPending
  useShortcut('r', 'Start a run', 'Run', () => setStarting(true), ours && !active)
  useShortcut(
    ' ',
    'Pause / resume the run',
    'Run',
    () => act.mutate(mode === 'running' ? 'pause' : 'resume'),
    active,
  )
  const error = act.error ?? concurrency.error
  if (!ours)
    return (
      <p className="text-sm text-muted">
        Run held by another process (autocoder run); control it there.
      </p>
    )
  return (
    // As wide as while a run goes: starting or stopping one moves nothing else in the header.
    <div
      className="flex min-w-[25rem] flex-wrap items-center justify-end gap-2"
      aria-label="Run controls"
      role="group"
    >
      {!active && (
        <Button variant="primary" size="sm" onClick={() => setStarting(true)} disabled={busy}>
          <Play aria-hidden className="size-3.5" /> Start run…
        </Button>
      )}
      {mode === 'running' && (
        <Button size="sm" onClick={() => act.mutate('pause')} disabled={busy}>
          <Pause aria-hidden className="size-3.5" /> Pause
        </Button>
      )}
      {(mode === 'paused' || mode === 'draining') && (
        <Button size="sm" variant="primary" onClick={() => act.mutate('resume')} disabled={busy}>
          <Play aria-hidden className="size-3.5" /> Resume
        </Button>
      )}
      {(mode === 'running' || mode === 'paused') && (
        <Button
          size="sm"
          onClick={() => act.mutate('drain')}
          disabled={busy}
          title="Finish the work in flight, claim nothing new, then end the run"
        >
          <Timer aria-hidden className="size-3.5" /> Drain
        </Button>
      )}
      {active && (
        <Button size="sm" variant="danger" onClick={() => act.mutate('stop')} disabled={busy}>
          <Square aria-hidden className="size-3.5" /> Stop
        </Button>
      )}
      {active && coding !== null && (
        <div className="flex items-center gap-1" role="group" aria-label="Coding agents at once">
          <Button
            size="sm"
            variant="ghost"
            aria-label="Fewer coding agents"
            disabled={busy || coding <= 1}
            onClick={() => concurrency.mutate({ coding: coding - 1 })}
          >
            <Minus aria-hidden className="size-3.5" />
          </Button>
          <span className="w-20 text-center text-sm" data-testid="concurrency" aria-live="polite">
            {coding} {coding === 1 ? 'agent' : 'agents'}
          </span>
          <Button
            size="sm"
            variant="ghost"
            aria-label="More coding agents"
            disabled={busy || coding >= MAX_CONCURRENCY}
            onClick={() => concurrency.mutate({ coding: coding + 1 })}
          >
            <Plus aria-hidden className="size-3.5" />
          </Button>
        </div>
      )}
      {error && <ErrorPanel compact error={error} className="basis-full" />}
      <StartRunDialog project={project} open={starting} onOpenChange={setStarting} />
    </div>
  )
})
