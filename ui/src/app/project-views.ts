import type { ComponentType } from 'react'
import { lazy } from 'react'

// Every screen of a project loads when first opened (or at once when the page opens on it, see
// `preloadRoute`), so the first screen waits for none of them.
const loaders = {
  board: () => import('../screens/board/board-view.js'),
  graph: () => import('../screens/graph/graph-view.js'),
  mission: () => import('../screens/mission/mission-view.js'),
  inbox: () => import('../screens/inbox/inbox-view.js'),
  settings: () => import('../screens/settings/settings-view.js'),
}
const BoardView = lazy(loaders.board)
const GraphView = lazy(loaders.graph)
const MissionView = lazy(loaders.mission)
const InboxView = lazy(loaders.inbox)
const SettingsView = lazy(loaders.settings)

/** The frame of every project screen (header, tabs, dialogs, the live socket). */
export const loadProjectLayout = () =>
  import('../screens/project/project-layout.js').then((module) => ({
    default: module.ProjectLayout,
  }))

/**
 * Starts loading the code of the screen `path` shows (`/projects/<name>/<view>...`) before React
 * renders, so the project frame, the view and the first data load side by side.
 */
export function preloadRoute(path: string): void {
  const view = /^\/projects\/[^/]+(?:\/([^/]+))?/.exec(path)
  if (!view) return
  void loadProjectLayout()
  const name = view[1] ?? 'board'
  if (Object.hasOwn(loaders, name)) void loaders[name as keyof typeof loaders]()
}

export interface ProjectView {
  path: string
  label: string
  /** Keyboard shortcut that opens it. */
  key: string
  Component: ComponentType
  /** A count shown on the tab: open questions. */
  badge?: 'questions'
}

/** The screens of a project, in tab order; each has its own URL. */
export const PROJECT_VIEWS: readonly ProjectView[] = [
  { path: 'board', label: 'Board', key: 'b', Component: BoardView },
  { path: 'graph', label: 'Graph', key: 'g', Component: GraphView },
  { path: 'mission', label: 'Mission control', key: 'm', Component: MissionView },
  { path: 'inbox', label: 'Questions', key: 'i', Component: InboxView, badge: 'questions' },
  { path: 'settings', label: 'Settings', key: ',', Component: SettingsView },
]
