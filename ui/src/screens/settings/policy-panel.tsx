import type { PolicyView } from '@core/api/index.js'
import type { UseQueryResult } from '@tanstack/react-query'
import { useState } from 'react'

import { ErrorPanel } from '../../components/error-panel.js'
import { Loading } from '../../components/spinner.js'

/** The commands agents may run here and where each rule came from (read-only: `policy list`). */
export function PolicyPanel({ policy }: { policy: UseQueryResult<PolicyView> }) {
  const [filter, setFilter] = useState('')
  const needle = filter.trim().toLowerCase()
  return (
    <section
      aria-labelledby="policy-heading"
      className="rounded-lg border border-border bg-surface p-4"
    >
      <h2 id="policy-heading" className="font-semibold">
        Allowed commands
      </h2>
      <p className="text-sm text-muted">
        Read-only. Projects add commands in{' '}
        <code className="font-mono">.autocoder/allowed_commands.yaml</code>; see{' '}
        <code className="font-mono">autocoder policy list</code>.
      </p>
      {policy.isLoading && <Loading label="Reading the policy…" />}
      {policy.error && (
        <ErrorPanel compact error={policy.error} retry={() => void policy.refetch()} />
      )}
      {policy.data && (
        <>
          <label className="mt-3 flex items-center gap-2 text-sm">
            Filter
            <input
              type="search"
              value={filter}
              onChange={(event) => setFilter(event.target.value)}
              className="h-8 w-56 rounded-md border border-border bg-surface px-2"
            />
          </label>
          <ul
            tabIndex={0}
            className="mt-2 grid max-h-72 grid-cols-2 gap-x-4 overflow-y-auto text-sm sm:grid-cols-3"
            aria-label="Allowed commands"
          >
            {policy.data.allowed
              .filter((entry) => entry.name.toLowerCase().includes(needle))
              .map((entry) => (
                <li
                  key={entry.name}
                  className="flex justify-between gap-2 border-b border-border py-0.5"
                >
                  <code className="font-mono">{entry.name}</code>
                  <span className="truncate text-xs text-muted">{entry.source}</span>
                </li>
              ))}
          </ul>
          <p className="mt-3 text-sm">
            <span className="font-medium">Never run:</span> {policy.data.blocked.join(', ')}
          </p>
          {policy.data.npxPackages.length > 0 && (
            <p className="mt-1 text-sm">
              <span className="font-medium">npx may run:</span> {policy.data.npxPackages.join(', ')}
            </p>
          )}
        </>
      )}
    </section>
  )
}
