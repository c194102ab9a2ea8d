import { Plus, Search } from 'lucide-react'
import { memo, useCallback, useDeferredValue, useMemo, useRef, useState } from 'react'
import { Link, useParams } from 'react-router'

import type { BoardColumnId, BoardFeature } from '../../api/board-model.js'
import { BOARD_COLUMNS, groupColumns, keepUnchanged } from '../../api/board-model.js'
import { useBoard } from '../../api/queries.js'
import { useShortcut } from '../../app/shortcuts.js'
import { Button } from '../../components/button.js'
import { ErrorPanel } from '../../components/error-panel.js'
import { Loading } from '../../components/spinner.js'
import { BoardColumn } from './board-column.js'

const ACCENT: Record<BoardColumnId | 'skipped', string> = {
  pending: 'border-pending',
  in_progress: 'border-progress',
  needs_human: 'border-human',
  failing: 'border-failing',
  passing: 'border-passing',
  skipped: 'border-skipped',
}

function matches(feature: BoardFeature, needle: string): boolean {
  if (needle === '') return true
  return (
    feature.name.toLowerCase().includes(needle) ||
    feature.category.toLowerCase().includes(needle) ||
    `#${feature.id}` === needle
  )
}

/** Filter, add a feature, show skipped: apart from the columns, so events do not re-render it. */
const BoardToolbar = memo(function BoardToolbar({
  filter,
  onFilter,
  skipped,
  showSkipped,
  onToggleSkipped,
}: {
  filter: string
  onFilter: (filter: string) => void
  skipped: number
  showSkipped: boolean
  onToggleSkipped: () => void
}) {
  const search = useRef<HTMLInputElement>(null)
  useShortcut('/', 'Filter the board', 'Board', () => search.current?.focus())
  return (
    <div className="flex items-center gap-2">
      <label className="relative flex items-center">
        <span className="sr-only">Filter features</span>
        <Search aria-hidden className="pointer-events-none absolute left-2 size-4 text-muted" />
        <input
          ref={search}
          type="search"
          value={filter}
          onChange={(event) => onFilter(event.target.value)}
          placeholder="Filter by name, category or #id  ( / )"
          className="h-8 w-80 rounded-md border border-border bg-surface pr-2 pl-8 text-sm"
        />
      </label>
      <Link
        to="new-feature"
        className="ml-auto inline-flex h-7 items-center gap-1 rounded-md border border-border bg-surface px-2 text-xs font-medium hover:bg-surface-2"
      >
        <Plus aria-hidden className="size-3.5" /> Add feature
      </Link>
      <Button size="sm" variant="ghost" aria-expanded={showSkipped} onClick={onToggleSkipped}>
        {showSkipped ? 'Hide' : 'Show'} skipped ({skipped})
      </Button>
    </div>
  )
})

/** The Kanban board: one column per state, skipped folded away, filter by text. */
export default function BoardView() {
  const project = useParams()['project'] ?? ''
  const board = useBoard(project)
  const [filter, setFilter] = useState('')
  const [showSkipped, setShowSkipped] = useState(false)
  const toggleSkipped = useCallback(() => setShowSkipped((shown) => !shown), [])
  const needle = useDeferredValue(filter.trim().toLowerCase())
  const previous = useRef<ReturnType<typeof groupColumns>['columns'] | undefined>(undefined)
  const grouped = useMemo(() => {
    const next = groupColumns((board.features ?? []).filter((feature) => matches(feature, needle)))
    const columns = keepUnchanged(next.columns, previous.current)
    previous.current = columns
    return { columns, skipped: next.skipped }
  }, [board.features, needle])
  if (board.error && !board.features)
    return <ErrorPanel className="m-4" error={board.error} retry={board.refetch} />
  if (!board.features) return <Loading label="Loading the board…" />
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2 p-3">
      <BoardToolbar
        filter={filter}
        onFilter={setFilter}
        skipped={grouped.skipped.length}
        showSkipped={showSkipped}
        onToggleSkipped={toggleSkipped}
      />
      {board.error ? <ErrorPanel compact error={board.error} retry={board.refetch} /> : null}
      {board.features.length === 0 ? (
        <p className="rounded-lg border border-dashed border-border p-8 text-center text-sm text-muted">
          No features yet. Start a run: the initializer agent writes them from the app spec.
        </p>
      ) : (
        <div className="flex min-h-0 flex-1 gap-3 overflow-x-auto">
          {BOARD_COLUMNS.map((column) => (
            <BoardColumn
              key={column.id}
              id={column.id}
              title={column.title}
              features={grouped.columns[column.id]}
              accent={ACCENT[column.id]}
            />
          ))}
          {showSkipped && (
            <BoardColumn
              id="skipped"
              title="Skipped"
              features={grouped.skipped}
              accent={ACCENT.skipped}
            />
          )}
        </div>
      )}
    </div>
  )
}
