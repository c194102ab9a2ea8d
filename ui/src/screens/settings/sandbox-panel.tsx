import type { PolicyView } from '@core/api/index.js'
import type { UseQueryResult } from '@tanstack/react-query'

import { ErrorPanel } from '../../components/error-panel.js'
import { Loading } from '../../components/spinner.js'
import { describeSandbox, SandboxState, useRunSandbox } from '../project/sandbox-state.js'

/** The OS sandbox: what this machine offers (probed by the server) and what the current run uses. */
export function SandboxPanel({
  project,
  policy,
}: {
  project: string
  policy: UseQueryResult<PolicyView>
}) {
  const current = useRunSandbox(project)
  const machine = policy.data?.sandbox
  return (
    <section
      aria-labelledby="sandbox-heading"
      className="rounded-lg border border-border bg-surface p-4 text-sm"
      data-testid="sandbox-settings"
    >
      <h2 id="sandbox-heading" className="font-semibold">
        OS sandbox state
      </h2>
      <dl className="mt-2 grid gap-3 sm:grid-cols-2">
        <div>
          <dt className="text-xs text-muted">Current run</dt>
          <dd className="flex flex-col gap-1">
            <SandboxState kind={current} className="self-start" />
            <span className="text-muted">{describeSandbox(current).detail}</span>
          </dd>
        </div>
        <div>
          <dt className="text-xs text-muted">This machine</dt>
          <dd data-testid="machine-sandbox">
            {policy.isLoading && <Loading label="Testing the sandbox…" />}
            {policy.error && (
              <ErrorPanel compact error={policy.error} retry={() => void policy.refetch()} />
            )}
            {machine && (
              <>
                <span className={machine.available ? 'text-ok' : 'font-semibold text-danger'}>
                  {machine.available ? `${machine.kind} available` : 'No OS sandbox available'}
                </span>
                <span className="block text-muted">{machine.detail}</span>
                {machine.fix && (
                  <span className="block">
                    Fix: <code className="font-mono">{machine.fix}</code>
                  </span>
                )}
              </>
            )}
          </dd>
        </div>
      </dl>
    </section>
  )
}
