import type { ComponentType } from 'react'
import { lazy } from 'react'

import { BoardView } from '../screens/board/board-view.js'

// Loaded when first opened, so the first screen does not wait for them.
const GraphView = lazy(() => import('../screens/graph/graph-view.js'))
const MissionView = lazy(() => import('../screens/mission/mission-view.js'))
const InboxView = lazy(() => import('../screens/inbox/inbox-view.js'))
const SettingsView = lazy(() => import('../screens/settings/settings-view.js'))

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
