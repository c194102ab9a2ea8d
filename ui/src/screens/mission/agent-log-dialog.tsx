import { useLive } from '../../api/live-provider.js'
import { describeEvent, eventTone } from '../../api/describe-event.js'
import { useEvents } from '../../api/queries.js'
import { Button } from '../../components/button.js'
import { Modal } from '../../components/dialog.js'
import { ErrorPanel } from '../../components/error-panel.js'
import { Loading } from '../../components/spinner.js'
import { cn } from '../../lib/cn.js'
import { formatTime } from '../../lib/format.js'
import { mergeEvents } from './merge-events.js'

const MAX_LINES = 500

/** Everything one agent did (its events, last 500), live; copyable as text. */
export function AgentLogDialog({
  project,
  agentId,
  onClose,
}: {
  project: string
  agentId: string
  onClose: () => void
}) {
  const fetched = useEvents(project, { agentId }, MAX_LINES)
  const live = useLive(project)
  const events = mergeEvents(
    fetched.data?.events ?? [],
    live?.agentLogs.get(agentId) ?? [],
    MAX_LINES,
  ).reverse()
  const text = events.map((event) => `${formatTime(event.at)} ${describeEvent(event)}`).join('\n')
  return (
    <Modal
      open
      wide
      onOpenChange={(open) => !open && onClose()}
      title={`Log of ${agentId}`}
      description={`Its last ${MAX_LINES} events, oldest first.`}
    >
      <div className="mb-2 flex gap-2">
        <Button
          size="sm"
          onClick={() => void navigator.clipboard?.writeText(text)}
          disabled={events.length === 0}
        >
          Copy
        </Button>
      </div>
      {fetched.isLoading && <Loading label="Reading the log…" />}
      {fetched.error && (
        <ErrorPanel compact error={fetched.error} retry={() => void fetched.refetch()} />
      )}
      <ol
        tabIndex={0}
        aria-label="Log"
        className="max-h-[60vh] overflow-y-auto rounded-md bg-surface-2 p-2 font-mono text-xs"
        data-testid="agent-log"
      >
        {events.map((event) => (
          <li
            key={event.id}
            className={cn(
              'break-words whitespace-pre-wrap',
              eventTone(event) === 'bad' && 'text-failing',
              event.type === 'agent.tool_use' && 'text-progress',
            )}
          >
            <span className="text-muted">{formatTime(event.at)} </span>
            {describeEvent(event)}
          </li>
        ))}
      </ol>
    </Modal>
  )
}
