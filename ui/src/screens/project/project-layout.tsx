import { Suspense } from 'react'
import { NavLink, Outlet, useLocation, useNavigate, useParams } from 'react-router'

import { ProjectLiveProvider, useLiveSelect } from '../../api/live-provider.js'
import type { ProjectView } from '../../app/project-views.js'
import { PROJECT_VIEWS } from '../../app/project-views.js'
import { useShortcut } from '../../app/shortcuts.js'
import { Loading } from '../../components/spinner.js'
import { cn } from '../../lib/cn.js'
import { AddFeatureDialog } from '../feature/add-feature-dialog.js'
import { FeatureDialog, viewPath } from '../feature/feature-dialog.js'
import { Celebration } from './celebration.js'
import { ConnectionIndicator } from './connection-indicator.js'
import { ProgressHeader } from './progress-header.js'

function ViewShortcut({ project, view }: { project: string; view: ProjectView }) {
  const navigate = useNavigate()
  useShortcut(
    view.key,
    `Go to ${view.label}`,
    'Views',
    () => void navigate(`/projects/${encodeURIComponent(project)}/${view.path}`),
  )
  return null
}

function ViewShortcuts({ project }: { project: string }) {
  const navigate = useNavigate()
  const location = useLocation()
  useShortcut('p', 'Back to projects', 'Views', () => void navigate('/'))
  useShortcut(
    'n',
    'Add a feature',
    'Board',
    () => void navigate(`${viewPath(location.pathname)}/new-feature`),
  )
  return PROJECT_VIEWS.map((view) => <ViewShortcut key={view.path} project={project} view={view} />)
}

function QuestionBadge({ project }: { project: string }) {
  const count = useLiveSelect(project, (live) => live.stats.needsHuman) ?? 0
  // The badge's place is kept while there is none: the tabs after it never move.
  if (count === 0) return <span aria-hidden className="ml-1.5 inline-block w-8" />
  return (
    <span
      data-testid="question-badge"
      aria-label={`${count} open`}
      className="ml-1.5 inline-block w-8 rounded-full bg-human text-center text-xs font-semibold text-white dark:text-black"
    >
      {count}
    </span>
  )
}

/** A project's frame: progress header, view tabs, the view; one live socket for all of it. */
export function ProjectLayout() {
  const project = useParams()['project'] ?? ''
  return (
    <ProjectLiveProvider key={project} project={project}>
      <ViewShortcuts project={project} />
      <ProgressHeader project={project} />
      <nav
        aria-label="Project views"
        className="flex items-center gap-1 border-b border-border bg-surface px-3"
      >
        {PROJECT_VIEWS.map((view) => (
          <NavLink
            key={view.path}
            to={view.path}
            className={({ isActive }) =>
              cn(
                'border-b-2 px-3 py-2 text-sm',
                isActive
                  ? 'border-accent font-medium text-fg'
                  : 'border-transparent text-muted hover:text-fg',
              )
            }
          >
            {view.label}
            {view.badge === 'questions' && <QuestionBadge project={project} />}
          </NavLink>
        ))}
        <span className="flex-1" />
        <ConnectionIndicator project={project} />
      </nav>
      <div className="flex min-h-0 flex-1 flex-col">
        <Suspense fallback={<Loading label="Loading…" />}>
          <Outlet />
        </Suspense>
      </div>
      <FeatureDialog project={project} />
      <Celebration project={project} />
      <AddFeatureDialog project={project} />
    </ProjectLiveProvider>
  )
}
