import { AlertTriangle } from 'lucide-react'

import { describeError } from '../api/http.js'
import { cn } from '../lib/cn.js'
import { Button } from './button.js'

/**
 * A failed request, said plainly: what the UI tried, what the server answered (its message says
 * what to do next) and a way to try again.
 */
export function ErrorPanel({
  error,
  what,
  retry,
  compact = false,
  className,
}: {
  error: unknown
  /** What failed, as a verb phrase ("load the board"); defaults to the request's own. */
  what?: string
  retry?: () => void
  compact?: boolean
  className?: string
}) {
  const described = describeError(error)
  const action = what ?? described.action
  return (
    <div
      role="alert"
      className={cn(
        'flex items-start gap-2 rounded-md border border-danger/40 bg-danger/5 text-sm',
        compact ? 'p-2' : 'p-3',
        className,
      )}
    >
      <AlertTriangle aria-hidden className="mt-0.5 size-4 shrink-0 text-danger" />
      <div className="min-w-0 flex-1">
        <p className="font-medium text-danger">
          {action ? `Could not ${action}` : 'Something went wrong'}{' '}
          <span className="font-mono text-xs opacity-80">({described.code})</span>
        </p>
        <p className="mt-0.5 break-words text-fg">{described.message}</p>
      </div>
      {retry && (
        <Button size="sm" onClick={retry}>
          Retry
        </Button>
      )}
    </div>
  )
}
