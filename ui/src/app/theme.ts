import { useCallback, useSyncExternalStore } from 'react'

const KEY = 'autocoder-theme'
const listeners = new Set<() => void>()

function isDark(): boolean {
  return document.documentElement.classList.contains('dark')
}

/** Light or dark, stored per browser; index.html applies it before the first paint. */
export function useTheme(): { dark: boolean; toggle: () => void } {
  const dark = useSyncExternalStore((listener) => {
    listeners.add(listener)
    return () => listeners.delete(listener)
  }, isDark)
  const toggle = useCallback(() => toggleTheme(), [])
  return { dark, toggle }
}

export function toggleTheme(): void {
  const next = !isDark()
  document.documentElement.classList.toggle('dark', next)
  try {
    localStorage.setItem(KEY, next ? 'dark' : 'light')
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  for (const listener of listeners) listener()
}
