import type { ProjectSummary } from '@core/api/index.js'
import { FolderOpen, Play } from 'lucide-react'
import { Link, Navigate } from 'react-router'

import { useProjects, useReadiness } from '../../api/queries.js'
import { ErrorPanel } from '../../components/error-panel.js'
import { ProgressBar } from '../../components/progress-bar.js'
import { Loading } from '../../components/spinner.js'
import { setupSkipped } from '../setup/setup-screen.js'

function ProjectRow({ project }: { project: ProjectSummary }) {
  const stats = project.stats
  return (
    <li>
      <Link
        to={`/projects/${encodeURIComponent(project.name)}/board`}
        className="block rounded-lg border border-border bg-surface p-4 hover:border-accent focus-visible:border-accent"
      >
        <div className="flex items-center gap-2">
          <FolderOpen aria-hidden className="size-4 text-muted" />
          <span className="font-medium">{project.name}</span>
          {project.running && (
            <span className="ml-auto inline-flex items-center gap-1 rounded-full border border-progress px-2 py-0.5 text-xs text-progress">
              <Play aria-hidden className="size-3" /> Running
            </span>
          )}
        </div>
        <p className="mt-1 truncate font-mono text-xs text-muted">{project.path}</p>
        {stats ? (
          <div className="mt-3 flex items-center gap-3">
            <ProgressBar
              value={stats.passing}
              total={stats.total}
              label={`${project.name} progress`}
            />
            <span className="shrink-0 text-sm">
              {stats.passing}/{stats.total} passing
            </span>
          </div>
        ) : (
          <p className="mt-3 text-sm text-warn">
            Folder or database missing: re-import it or delete it.
          </p>
        )}
        {stats && stats.needsHuman > 0 && (
          <p className="mt-2 text-xs text-human">{stats.needsHuman} waiting for an answer</p>
        )}
      </Link>
    </li>
  )
}

/** The first screen: registered projects with their progress and whether they run. */
export function ProjectPicker() {
  const projects = useProjects()
  const { ready } = useReadiness()
  if (ready === false && !setupSkipped()) return <Navigate to="/setup" replace />
  return (
    <div className="mx-auto w-full max-w-4xl overflow-auto p-6">
      <h1 className="text-2xl font-semibold">Projects</h1>
      <p className="mt-1 text-sm text-muted">
        Pick a project to watch its board and steer its run. Add one with{' '}
        <code className="rounded bg-surface-2 px-1 font-mono text-xs">
          autocoder projects add NAME DIR
        </code>
        .
      </p>
      {projects.isLoading && <Loading label="Loading projects…" />}
      {projects.error && (
        <ErrorPanel className="mt-4" error={projects.error} retry={() => void projects.refetch()} />
      )}
      {projects.data?.length === 0 && (
        <p className="mt-6 rounded-lg border border-dashed border-border p-6 text-center text-sm text-muted">
          No projects yet. Try the offline demo: <code className="font-mono">autocoder demo</code>,
          then register its folder.
        </p>
      )}
      <ul className="mt-4 grid gap-3 sm:grid-cols-2">
        {projects.data?.map((project) => (
          <ProjectRow key={project.name} project={project} />
        ))}
      </ul>
    </div>
  )
}
