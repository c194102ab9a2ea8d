import './app.css'

import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'

import { App } from './app/app.js'
import { preloadRoute } from './app/project-views.js'

function render(): void {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  )
}

// A project URL's code first (index.html asked for its files and data while this one loaded), so
// the first render draws that screen, not a fallback; a chunk that failed to load is asked for
// again when its screen renders.
preloadRoute(location.pathname).then(render, render)
