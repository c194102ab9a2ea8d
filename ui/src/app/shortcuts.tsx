import { useEffect, useRef, useSyncExternalStore } from 'react'

export interface Shortcut {
  /** The key as `KeyboardEvent.key` reports it ("?", "g", "Escape"). */
  key: string
  label: string
  group: string
  run: () => void
}

const registry = new Map<symbol, Shortcut>()
const listeners = new Set<() => void>()
let version = 0

function changed(): void {
  version++
  for (const listener of listeners) listener()
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

/** One listener for every shortcut; keys are ignored while typing or with a modifier held. */
export function installShortcuts(): () => void {
  const onKey = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return
    if (isTyping(event.target)) return
    // A modal dialog owns the keyboard, except for the help key.
    if (document.querySelector('[role="dialog"][data-state="open"]') && event.key !== '?') return
    const matches = [...registry.values()].filter((shortcut) => shortcut.key === event.key)
    const last = matches.at(-1)
    if (!last) return
    event.preventDefault()
    last.run()
  }
  window.addEventListener('keydown', onKey)
  return () => window.removeEventListener('keydown', onKey)
}

/** Registers a shortcut while the component is mounted (the latest `run` is always used). */
export function useShortcut(
  key: string,
  label: string,
  group: string,
  run: () => void,
  enabled = true,
): void {
  const latest = useRef(run)
  latest.current = run
  useEffect(() => {
    if (!enabled) return
    const id = Symbol(key)
    registry.set(id, { key, label, group, run: () => latest.current() })
    changed()
    return () => {
      registry.delete(id)
      changed()
    }
  }, [key, label, group, enabled])
}

/** The shortcuts registered now, for the help overlay. */
export function useShortcutList(): Shortcut[] {
  useSyncExternalStore(
    (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    () => version,
  )
  const seen = new Set<string>()
  return [...registry.values()].reverse().filter((shortcut) => {
    if (seen.has(shortcut.key)) return false
    seen.add(shortcut.key)
    return true
  })
}
