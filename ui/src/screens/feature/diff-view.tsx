import { memo } from 'react'

import { cn } from '../../lib/cn.js'

function lineClass(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('diff --git'))
    return 'font-semibold text-fg'
  if (line.startsWith('+')) return 'bg-passing/15 text-fg'
  if (line.startsWith('-')) return 'bg-failing/15 text-fg'
  if (line.startsWith('@@')) return 'text-progress'
  return 'text-muted'
}

/** A unified diff with added, removed and hunk lines coloured. */
export const DiffView = memo(function DiffView({ patch }: { patch: string }) {
  const lines = patch.split('\n')
  return (
    <pre
      tabIndex={0}
      aria-label="Merge diff"
      className="max-h-96 overflow-auto rounded-md border border-border bg-surface-2 p-2 font-mono text-xs leading-5"
    >
      {lines.map((line, index) => (
        <div key={index} className={cn('whitespace-pre', lineClass(line))}>
          {line || ' '}
        </div>
      ))}
    </pre>
  )
})
