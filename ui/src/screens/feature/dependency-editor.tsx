import { DependenciesBody } from '@core/api/index.js'
import type { FeatureView } from '@core/api/index.js'
import { MAX_DEPENDENCIES } from '@core/feature.js'
import { X } from 'lucide-react'
import type { FormEvent } from 'react'
import { useId, useState } from 'react'
import { Link, useParams } from 'react-router'

import { useFeatureMutations } from '../../api/mutations.js'
import { useBoard } from '../../api/queries.js'
import { Button } from '../../components/button.js'
import { ErrorPanel } from '../../components/error-panel.js'
import { inputClass } from '../../components/field.js'
import { StateBadge } from '../../components/state-badge.js'

/**
 * The features this one waits for, each with its state; add or remove one. The server refuses
 * cycles, unknown ids and more than the limit, and its reason shows here, in place.
 */
export function DependencyEditor({ project, feature }: { project: string; feature: FeatureView }) {
  const board = useBoard(project).features
  const { dependencies } = useFeatureMutations(project)
  const view = useParams()['view'] ?? 'board'
  const [adding, setAdding] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const listId = useId()
  const inputId = useId()
  const byId = new Map((board ?? []).map((item) => [item.id, item]))
  const save = (ids: number[]): void => {
    const parsed = DependenciesBody.safeParse({ dependencyIds: ids })
    if (!parsed.success) {
      setProblem(`A feature can wait for at most ${MAX_DEPENDENCIES} others; remove one first.`)
      return
    }
    setProblem(null)
    dependencies.reset()
    dependencies.mutate(
      { id: feature.id, dependencyIds: parsed.data.dependencyIds },
      { onSuccess: () => setAdding('') },
    )
  }
  const add = (event: FormEvent): void => {
    event.preventDefault()
    const id = Number(adding.trim().replace(/^#/, '').split(/\s/)[0])
    if (!Number.isInteger(id) || id <= 0) {
      setProblem('Give a feature number, like 12 or #12.')
      return
    }
    if (feature.dependencies.includes(id)) {
      setProblem(`#${feature.id} already waits for #${id}.`)
      return
    }
    save([...feature.dependencies, id])
  }
  return (
    <div className="flex flex-col gap-2">
      {feature.dependencies.length === 0 ? (
        <p className="text-sm text-muted">None: it can start any time.</p>
      ) : (
        <ul className="flex flex-col gap-1" aria-label="Dependencies">
          {feature.dependencies.map((id) => {
            const dependency = byId.get(id)
            return (
              <li key={id} className="flex items-center gap-2 text-sm">
                <Link
                  to={`/projects/${encodeURIComponent(project)}/${view}/features/${id}`}
                  className="min-w-0 truncate hover:underline"
                >
                  #{id} {dependency?.name ?? ''}
                </Link>
                {dependency && <StateBadge state={dependency.state} />}
                <Button
                  size="sm"
                  variant="ghost"
                  className="ml-auto"
                  aria-label={`Remove dependency #${id}`}
                  disabled={dependencies.isPending}
                  onClick={() => save(feature.dependencies.filter((dep) => dep !== id))}
                >
                  <X aria-hidden className="size-3.5" />
                </Button>
              </li>
            )
          })}
        </ul>
      )}
      {feature.blocked && (
        <p className="text-xs text-blocked">
          Waits on {feature.blockingDependencies.map((id) => `#${id}`).join(', ')} (not passing
          yet).
        </p>
      )}
      <form onSubmit={add} className="flex items-center gap-2" noValidate>
        <label htmlFor={inputId} className="sr-only">
          Add a dependency
        </label>
        <input
          id={inputId}
          list={listId}
          value={adding}
          onChange={(event) => setAdding(event.target.value)}
          placeholder="Add a dependency: #id"
          className={`${inputClass} flex-1`}
          aria-invalid={problem !== null || dependencies.error !== null}
        />
        <datalist id={listId}>
          {(board ?? [])
            .filter((item) => item.id !== feature.id && !feature.dependencies.includes(item.id))
            .slice(0, 200)
            .map((item) => (
              <option key={item.id} value={`#${item.id} ${item.name}`} />
            ))}
        </datalist>
        <Button type="submit" size="sm" disabled={dependencies.isPending || adding.trim() === ''}>
          Add
        </Button>
      </form>
      {problem && (
        <p role="alert" className="text-xs text-danger">
          {problem}
        </p>
      )}
      {dependencies.error && <ErrorPanel compact error={dependencies.error} />}
    </div>
  )
}
