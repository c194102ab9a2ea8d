import { HelpCircle, Moon, Sun } from 'lucide-react'
import { lazy, Suspense, useState } from 'react'
import { Link, Outlet } from 'react-router'

import { Button } from '../components/button.js'
import { Loading } from '../components/spinner.js'
import { useShortcut } from './shortcuts.js'
import { useTheme } from './theme.js'

// Loaded the first time `?` opens it: the first screen does not wait for the dialog's code.
const HelpOverlay = lazy(() =>
  import('./help-overlay.js').then((module) => ({ default: module.HelpOverlay })),
)

/** The frame of every screen: title bar with theme and help, then the screen. */
export function Shell() {
  const { dark, toggle } = useTheme()
  const [help, setHelp] = useState(false)
  useShortcut('?', 'Show keyboard shortcuts', 'General', () => setHelp((open) => !open))
  useShortcut('t', 'Switch light / dark theme', 'General', toggle)
  return (
    <div className="flex h-full flex-col">
      <a
        href="#main"
        className="sr-only rounded bg-accent px-3 py-2 text-accent-fg focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50"
      >
        Skip to content
      </a>
      <header className="flex h-12 shrink-0 items-center gap-3 border-b border-border bg-surface px-4">
        <Link to="/" className="font-semibold tracking-tight">
          autocoder
        </Link>
        <span className="flex-1" />
        <Button
          variant="ghost"
          size="sm"
          onClick={toggle}
          aria-label={dark ? 'Switch to light theme' : 'Switch to dark theme'}
          title="Theme (t)"
        >
          {dark ? <Sun aria-hidden className="size-4" /> : <Moon aria-hidden className="size-4" />}
        </Button>
        <Button
          variant="ghost"
          size="sm"
          onClick={() => setHelp(true)}
          aria-label="Keyboard shortcuts"
          title="Shortcuts (?)"
        >
          <HelpCircle aria-hidden className="size-4" />
        </Button>
      </header>
      <main id="main" className="flex min-h-0 flex-1 flex-col">
        <Suspense fallback={<Loading label="Loading…" />}>
          <Outlet />
        </Suspense>
      </main>
      {help && (
        <Suspense>
          <HelpOverlay open onOpenChange={setHelp} />
        </Suspense>
      )}
    </div>
  )
}
