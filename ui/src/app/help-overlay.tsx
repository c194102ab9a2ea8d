import { Dialog } from 'radix-ui'

import { useShortcutList } from './shortcuts.js'

function keyName(key: string): string {
  return key === ' ' ? 'Space' : key
}

/** The `?` overlay: every shortcut available on this screen, by group. */
export function HelpOverlay({
  open,
  onOpenChange,
}: {
  open: boolean
  onOpenChange: (open: boolean) => void
}) {
  const shortcuts = useShortcutList()
  const groups = [...new Set(shortcuts.map((shortcut) => shortcut.group))]
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 max-h-[85vh] w-[28rem] max-w-[92vw] -translate-x-1/2 -translate-y-1/2 overflow-auto rounded-lg border border-border bg-surface p-5 shadow-xl">
          <Dialog.Title className="text-lg font-semibold">Keyboard shortcuts</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-muted">
            Keys work anywhere except while typing in a field. Esc closes dialogs.
          </Dialog.Description>
          {groups.map((group) => (
            <section key={group} className="mt-4">
              <h3 className="text-xs font-semibold tracking-wide text-muted uppercase">{group}</h3>
              <dl className="mt-1 divide-y divide-border">
                {shortcuts
                  .filter((shortcut) => shortcut.group === group)
                  .map((shortcut) => (
                    <div
                      key={shortcut.key}
                      className="flex items-center justify-between py-1.5 text-sm"
                    >
                      <dt>{shortcut.label}</dt>
                      <dd>
                        <kbd className="rounded border border-border bg-surface-2 px-1.5 py-0.5 font-mono text-xs">
                          {keyName(shortcut.key)}
                        </kbd>
                      </dd>
                    </div>
                  ))}
              </dl>
            </section>
          ))}
          <Dialog.Close className="mt-5 rounded-md border border-border px-3 py-1.5 text-sm hover:bg-surface-2">
            Close
          </Dialog.Close>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}
