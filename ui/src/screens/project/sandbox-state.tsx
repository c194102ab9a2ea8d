import type { SandboxKindName } from '@core/events.js'
import { ShieldAlert, ShieldCheck } from 'lucide-react'

import { useLiveSelect } from '../../api/live-provider.js'
import { useRun } from '../../api/queries.js'
import { cn } from '../../lib/cn.js'

/** How the current run's OS sandbox reads: its kind, or a warning when it runs without one. */
export function describeSandbox(kind: SandboxKindName | null): {
  text: string
  detail: string
  unsafe: boolean
} {
  if (kind === null)
    return {
      text: '—',
      detail: 'No run, or simulated agents that run no code.',
      unsafe: false,
    }
  if (kind === 'unsandboxed')
    return {
      text: 'Unsandboxed',
      detail:
        'A person accepted running the agents without the OS sandbox: agent-written code can read your credentials and write outside the project.',
      unsafe: true,
    }
  return {
    text: kind,
    detail: `Agent-written code runs in the ${kind} OS sandbox: the project folder writable, your home and credentials hidden.`,
    unsafe: false,
  }
}

/** The OS sandbox of the project's current run: live from the socket, else the run status. */
export function useRunSandbox(project: string): SandboxKindName | null {
  const live = useLiveSelect(project, (state) => ({ sandbox: state.run.sandbox }))
  const { data } = useRun(project)
  if (live) return live.sandbox ?? null
  return data?.sandbox ?? null
}

/** The current run's sandbox kind, in the warning style when the run has none. */
export function SandboxState({
  kind,
  className,
}: {
  kind: SandboxKindName | null
  className?: string
}) {
  const { text, detail, unsafe } = describeSandbox(kind)
  const Icon = unsafe ? ShieldAlert : ShieldCheck
  return (
    <span
      data-testid="run-sandbox"
      data-sandbox={kind ?? 'none'}
      title={detail}
      className={cn(
        'inline-flex items-center gap-1',
        unsafe && 'rounded border border-danger px-1 font-semibold text-danger',
        className,
      )}
    >
      {kind !== null && <Icon aria-hidden className="size-3.5 shrink-0" />}
      {text}
      {unsafe && <span className="sr-only">: {detail}</span>}
    </span>
  )
}
