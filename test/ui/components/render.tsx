// Renders UI components the way the app does (query client, router), without a server.
import { notifyManager, QueryClientProvider } from '@tanstack/react-query'
import type { QueryClient } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import type { ReactElement } from 'react'
import { MemoryRouter, Route, Routes } from 'react-router'

import { createQueryClient } from '../../../ui/src/app/query-client.js'

// happy-dom lays nothing out: give scroll containers a size so virtualised lists render rows.
Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 800 })
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 300 })

// Cache updates reach components at once (inside act), not on a later timer tick.
notifyManager.setScheduler((callback) => callback())

export function testClient(): QueryClient {
  const client = createQueryClient()
  client.setDefaultOptions({ queries: { retry: false, staleTime: Infinity } })
  return client
}

/** Renders `element` at `url`, matched by `route` (e.g. /projects/:project/board). */
export function renderAt(
  element: ReactElement,
  options: { url: string; route: string; client: QueryClient },
) {
  return render(
    <QueryClientProvider client={options.client}>
      <MemoryRouter initialEntries={[options.url]}>
        <Routes>
          <Route path={options.route} element={element} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  )
}
