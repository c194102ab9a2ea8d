import type { ComponentType } from 'react'

import { BoardView } from '../screens/board/board-view.js'

export interface ProjectView {
  path: string
  label: string
  /** Keyboard shortcut that opens it. */
  key: string
  Component: ComponentType
}

/** The screens of a project, in tab order; each has its own URL. */
export const PROJECT_VIEWS: readonly ProjectView[] = [
  { path: 'board', label: 'Board', key: 'b', Component: BoardView },
]
