import type { ComponentType } from 'react'
import { createElement, lazy, useState } from 'react'

import { DEFAULT_VIEW, PROJECT_ROUTE } from './project-route.js'

/**
 * A screen whose code loads when first needed. Once `load` has resolved, a newly mounted
 * `Component` renders the screen at once instead of through `lazy`: a lazy component suspends
 * on its first render even when its code is there, and React then keeps the fallback on screen
 * for at least 300 ms, which a preloaded route (`preloadRoute`) would wait for for nothing.
 */
function loadable(load: () => Promise<{ default: ComponentType }>): {
  Component: ComponentType
  load: () => Promise<unknown>
} {
  let loaded: ComponentType | null = null
  let loading: Promise<ComponentType> | null = null
  const start = (): Promise<ComponentType> =>
    (loading ??= load().then(
      (module) => (loaded = module.default),
      (error: unknown) => {
        loading = null // the next render asks again
        throw error
      },
    ))
  const Lazy = lazy(() => start().then((screen) => ({ default: screen })))
  function Component() {
    // Chosen once per mount: switching between the two would remount the screen.
    const [ready] = useState(() => loaded)
    return createElement(ready ?? Lazy)
  }
  return { Component, load: start }
}

// Every screen of a project loads when first opened (or at once when the page opens on it, see
// `preloadRoute`), so the first screen waits for none of them.
const views = {
  board: loadable(() => import('../screens/board/board-view.js')),
  graph: loadable(() => import('../screens/graph/graph-view.js')),
  mission: loadable(() => import('../screens/mission/mission-view.js')),
  inbox: loadable(() => import('../screens/inbox/inbox-view.js')),
  settings: loadable(() => import('../screens/settings/settings-view.js')),
}

/** The frame of every project screen (header, tabs, dialogs, the live socket). */
const projectLayout = loadable(() =>
  import('../screens/project/project-layout.js').then((module) => ({
    default: module.ProjectLayout,
  })),
)
export const ProjectLayout = projectLayout.Component

/**
 * Loads the code of the screen `path` shows (`/projects/<name>/<view>...`): the project frame and
 * the view side by side (index.html asked for their files already). main.tsx renders once it has
 * resolved, so the first render draws the screen rather than a fallback.
 */
export function preloadRoute(path: string): Promise<unknown> {
  const view = PROJECT_ROUTE.exec(path)
  if (!view) return Promise.resolve()
  const name = view[1] ?? DEFAULT_VIEW
  const screen = Object.hasOwn(views, name) ? views[name as keyof typeof views] : undefined
  return Promise.all([projectLayout.load(), screen?.load()])
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
  { path: 'board', label: 'Board', key: 'b', Component: views.board.Component },
  { path: 'graph', label: 'Graph', key: 'g', Component: views.graph.Component },
  { path: 'mission', label: 'Mission control', key: 'm', Component: views.mission.Component },
  {
    path: 'inbox',
    label: 'Questions',
    key: 'i',
    Component: views.inbox.Component,
    badge: 'questions',
  },
  { path: 'settings', label: 'Settings', key: ',', Component: views.settings.Component },
]
