import type { FeatureDetail } from '@core/api/index.js'
import type { FeatureNote } from '@core/feature.js'
import { useState } from 'react'

import { useFeatureDiff } from '../../api/queries.js'
import { Button } from '../../components/button.js'
import { ErrorPanel } from '../../components/error-panel.js'
import { Loading } from '../../components/spinner.js'
import { cn } from '../../lib/cn.js'
import { formatTime } from '../../lib/format.js'
import { DiffView } from './diff-view.js'

const KIND_LABEL: Record<FeatureNote['kind'], string> = {
  evidence: 'Evidence',
  question: 'Question',
  answer: 'Answer',
  note: 'Note',
}

function text(data: FeatureNote['data'], key: string): string | null {
  const value = data?.[key]
  return typeof value === 'string' && value !== '' ? value : null
}

function NoteItem({ note }: { note: FeatureNote }) {
  const commit = text(note.data, 'commit')
  const checkOutput = text(note.data, 'checkOutput') ?? text(note.data, 'output')
  return (
    <li
      className={cn(
        'rounded-md border border-border p-2 text-sm',
        note.kind === 'question' && 'border-human',
      )}
    >
      <div className="flex items-center gap-2 text-xs text-muted">
        <span className="font-semibold text-fg">{KIND_LABEL[note.kind]}</span>
        <span>{note.author}</span>
        <span className="ml-auto">{formatTime(note.createdAt)}</span>
      </div>
      <p className="mt-1 break-words whitespace-pre-wrap">{note.text.split('\n')[0]}</p>
      {commit && (
        <p className="mt-1 text-xs">
          Merge commit <code className="font-mono">{commit.slice(0, 12)}</code>
        </p>
      )}
      {checkOutput && (
        <details className="mt-1">
          <summary className="cursor-pointer text-xs text-muted">Check output</summary>
          <pre
            tabIndex={0}
            className="mt-1 max-h-48 overflow-auto rounded bg-surface-2 p-2 font-mono text-xs whitespace-pre-wrap"
          >
            {checkOutput}
          </pre>
        </details>
      )}
    </li>
  )
}

/** Notes and evidence (merge commit, check output) and the diff of the merge that made it pass. */
export function FeatureEvidence({ project, detail }: { project: string; detail: FeatureDetail }) {
  const [showDiff, setShowDiff] = useState(false)
  const diff = useFeatureDiff(project, detail.feature.id, showDiff)
  const merged = detail.notes.some((note) => note.kind === 'evidence' && text(note.data, 'commit'))
  return (
    <section className="flex flex-col gap-2" aria-labelledby="evidence-heading">
      <div className="flex items-center gap-2">
        <h3 id="evidence-heading" className="text-sm font-semibold">
          Evidence and notes
        </h3>
        {merged && (
          <Button
            size="sm"
            className="ml-auto"
            aria-expanded={showDiff}
            onClick={() => setShowDiff((shown) => !shown)}
          >
            {showDiff ? 'Hide the diff' : 'Show the merge diff'}
          </Button>
        )}
      </div>
      {showDiff && (
        <div className="flex flex-col gap-2">
          {diff.isLoading && <Loading label="Reading the merge…" />}
          {diff.error && (
            <ErrorPanel compact error={diff.error} retry={() => void diff.refetch()} />
          )}
          {diff.data && (
            <>
              <p className="text-xs text-muted">
                Merge <code className="font-mono">{diff.data.commit?.slice(0, 12)}</code>
                {diff.data.agentId ? ` by ${diff.data.agentId}` : ''}
              </p>
              <pre
                tabIndex={0}
                className="overflow-auto rounded-md bg-surface-2 p-2 font-mono text-xs"
              >
                {diff.data.stat}
              </pre>
              <DiffView patch={diff.data.patch} />
              {diff.data.truncated && (
                <p className="text-xs text-warn">The diff is cut here; see the commit with git.</p>
              )}
            </>
          )}
        </div>
      )}
      {detail.notes.length === 0 ? (
        <p className="text-sm text-muted">Nothing recorded yet.</p>
      ) : (
        <ul className="flex flex-col gap-2">
          {[...detail.notes].reverse().map((note) => (
            <NoteItem key={note.id} note={note} />
          ))}
        </ul>
      )}
    </section>
  )
}
