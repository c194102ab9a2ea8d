import { QueryClientProvider } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { BrowserRouter, Navigate, Route, Routes } from 'react-router'

import { ProjectPicker } from '../screens/projects/project-picker.js'
import { SetupScreen } from '../screens/setup/setup-screen.js'
import { PROJECT_VIEWS, ProjectLayout } from './project-views.js'
import { DEFAULT_VIEW } from './project-route.js'
import { createQueryClient } from './query-client.js'
import { Shell } from './shell.js'
import { installShortcuts } from './shortcuts.js'

// The project screens load on first use: the project picker (the first screen) waits only for
// its own code. main.tsx loads them before the first render when the URL opens one.

export function App() {
  const [client] = useState(createQueryClient)
  useEffect(() => installShortcuts(), [])
  return (
    <QueryClientProvider client={client}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </QueryClientProvider>
  )
}

/** URLs: /, /setup, /projects/:project/:view[/features/:featureId | /new-feature]. */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Shell />}>
        <Route index element={<ProjectPicker />} />
        <Route path="setup" element={<SetupScreen />} />
        <Route path="projects/:project" element={<ProjectLayout />}>
          <Route index element={<Navigate to={DEFAULT_VIEW} replace />} />
          {PROJECT_VIEWS.map((view) => (
            <Route key={view.path} path={view.path} element={<view.Component />}>
              <Route path="features/:featureId" element={null} />
              <Route path="new-feature" element={null} />
            </Route>
          ))}
        </Route>
        <Route path="*" element={<Navigate to="/" replace />} />
      </Route>
    </Routes>
  )
}
