import { memo } from 'react'
import { useConnection } from '../../api/live-provider.js'
import { Button } from '../../components/button.js'
import { cn } from '../../lib/cn.js'
import { useNow } from '../../lib/use-now.js'

/** Whether live events arrive: Live, Connecting, Reconnecting (with a way to retry now), Offline. */
export const ConnectionIndicator = memo(function ConnectionIndicator({
  project,
}: {
  project: string
}) {
  const { status, retry } = useConnection(project)
  const now = useNow(1000)
  const state = status?.state ?? 'connecting'
  const label =
    state === 'live'
      ? 'Live'
      : state === 'connecting'
        ? 'Connecting…'
        : state === 'reconnecting'
          ? `Reconnecting${status?.retryAt ? ` in ${Math.max(0, Math.ceil((status.retryAt - now) / 1000))}s` : '…'}`
          : 'Offline'
  return (
    <div className="flex items-center gap-2" data-testid="connection" data-state={state}>
      <span role="status" className="inline-flex items-center gap-1.5 text-sm whitespace-nowrap">
        <span
          aria-hidden
          className={cn(
            'size-2 rounded-full',
            state === 'live'
              ? 'bg-ok'
              : state === 'offline'
                ? 'bg-danger'
                : 'animate-pulse bg-warn',
          )}
        />
        <span className="sr-only">Connection: </span>
        {label}
      </span>
      {(state === 'reconnecting' || state === 'offline') && (
        <>
          {status?.error && (
            <span className="max-w-64 truncate text-xs text-danger" title={status.error.message}>
              {status.error.message}
            </span>
          )}
          {state === 'reconnecting' && (
            <Button size="sm" onClick={retry}>
              Reconnect now
            </Button>
          )}
        </>
      )}
    </div>
  )
})
