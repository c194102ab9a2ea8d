import { useLocation, useMatch, useNavigate } from 'react-router'

import { useFeatureDetail } from '../../api/queries.js'
import { Modal } from '../../components/dialog.js'
import { ErrorPanel } from '../../components/error-panel.js'
import { Loading } from '../../components/spinner.js'
import { StateBadge } from '../../components/state-badge.js'
import { formatUsd } from '../../lib/format.js'
import { FeatureActions } from './feature-actions.js'
import { FeatureEvidence } from './feature-evidence.js'
import { FeatureHistory } from './feature-history.js'
import { FeatureSpec } from './feature-spec.js'

/** The path of the view under a dialog's URL (`.../board/features/3` -> `.../board`). */
export function viewPath(pathname: string): string {
  return pathname.replace(/\/(features\/[^/]+|new-feature)\/?$/, '')
}

/** Feature detail over the current view, opened by its URL (`<view>/features/<id>`). */
export function FeatureDialog({ project }: { project: string }) {
  const match = useMatch('/projects/:project/:view/features/:featureId')
  const navigate = useNavigate()
  const location = useLocation()
  const id = Number(match?.params.featureId)
  if (!match || !Number.isInteger(id) || id <= 0) return null
  return (
    <FeatureDialogContent
      key={id}
      project={project}
      id={id}
      onClose={() => void navigate(viewPath(location.pathname))}
    />
  )
}

function FeatureDialogContent({
  project,
  id,
  onClose,
}: {
  project: string
  id: number
  onClose: () => void
}) {
  const detail = useFeatureDetail(project, id)
  const feature = detail.data?.feature
  return (
    <Modal
      open
      wide
      onOpenChange={(open) => !open && onClose()}
      title={
        feature ? (
          <span className="flex flex-wrap items-center gap-2">
            <span className="text-muted">#{feature.id}</span> {feature.name}{' '}
            <StateBadge state={feature.state} />
          </span>
        ) : (
          `Feature #${id}`
        )
      }
      description={
        feature
          ? `${feature.category} · priority ${feature.priority} · ${feature.attempts} ${feature.attempts === 1 ? 'attempt' : 'attempts'} · ${formatUsd(detail.data?.costUsd ?? 0)} spent`
          : undefined
      }
    >
      {detail.isLoading && <Loading label="Loading the feature…" />}
      {detail.error && <ErrorPanel error={detail.error} retry={() => void detail.refetch()} />}
      {detail.data && (
        <div className="grid gap-6 lg:grid-cols-2">
          <div className="flex min-w-0 flex-col gap-5">
            <FeatureActions project={project} detail={detail.data} onDeleted={onClose} />
            <FeatureSpec project={project} detail={detail.data} />
          </div>
          <div className="flex min-w-0 flex-col gap-5">
            <FeatureEvidence project={project} detail={detail.data} />
            <FeatureHistory project={project} detail={detail.data} />
          </div>
        </div>
      )}
    </Modal>
  )
}
