import type { FeatureDetail } from '@core/api/index.js'
import { useState } from 'react'

import { useFeatureMutations } from '../../api/mutations.js'
import { Button } from '../../components/button.js'
import { ErrorPanel } from '../../components/error-panel.js'

const SKIPPABLE = new Set(['pending', 'failing', 'needs_human'])

/** Skip, unskip and delete (with a confirmation in place); failures say why where they happened. */
export function FeatureActions({
  project,
  detail,
  onDeleted,
}: {
  project: string
  detail: FeatureDetail
  onDeleted: () => void
}) {
  const { skip, unskip, remove } = useFeatureMutations(project)
  const [confirming, setConfirming] = useState(false)
  const { feature } = detail
  const error = skip.error ?? unskip.error ?? remove.error
  return (
    <section aria-label="Actions" className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-2">
        {SKIPPABLE.has(feature.state) && (
          <Button size="sm" onClick={() => skip.mutate(feature.id)} disabled={skip.isPending}>
            Skip
          </Button>
        )}
        {feature.state === 'skipped' && (
          <Button size="sm" onClick={() => unskip.mutate(feature.id)} disabled={unskip.isPending}>
            Put back in the run
          </Button>
        )}
        {!confirming ? (
          <Button
            size="sm"
            variant="ghost"
            className="text-danger"
            onClick={() => setConfirming(true)}
          >
            Delete…
          </Button>
        ) : (
          <span
            role="group"
            aria-label="Confirm deletion"
            className="flex items-center gap-2 text-sm"
          >
            Delete #{feature.id} and remove it from every dependency list?
            <Button
              size="sm"
              variant="danger"
              disabled={remove.isPending}
              onClick={() => remove.mutate(feature.id, { onSuccess: onDeleted })}
            >
              Yes, delete
            </Button>
            <Button size="sm" onClick={() => setConfirming(false)}>
              Keep it
            </Button>
          </span>
        )}
      </div>
      {error && <ErrorPanel compact error={error} />}
    </section>
  )
}
