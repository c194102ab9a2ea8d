import { PartyPopper } from 'lucide-react'
import { useEffect, useRef, useState } from 'react'

import { useLiveSelect } from '../../api/live-provider.js'
import { Button } from '../../components/button.js'

const COLOURS = [
  'var(--state-passing)',
  'var(--state-progress)',
  'var(--state-human)',
  'var(--accent)',
]
const PIECES = Array.from({ length: 36 }, (_, index) => ({
  left: (index * 37) % 100,
  delay: (index % 9) * 0.12,
  colour: COLOURS[index % COLOURS.length],
}))

/** Shown once when every feature passes while the page watches (not when it was done already). */
export function Celebration({ project }: { project: string }) {
  const stats = useLiveSelect(project, (live) => ({
    total: live.stats.total,
    passing: live.stats.passing,
  }))
  const [shown, setShown] = useState(false)
  const wasDone = useRef<boolean | null>(null)
  const done = stats !== undefined && stats.total > 0 && stats.passing === stats.total
  useEffect(() => {
    if (stats === undefined) return
    if (wasDone.current === false && done) setShown(true)
    wasDone.current = done
  }, [done, stats])
  useEffect(() => {
    if (!shown) return
    const timer = setTimeout(() => setShown(false), 8000)
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') setShown(false)
    }
    window.addEventListener('keydown', onKey)
    return () => {
      clearTimeout(timer)
      window.removeEventListener('keydown', onKey)
    }
  }, [shown])
  if (!shown || !stats) return null
  return (
    <div
      className="pointer-events-none fixed inset-0 z-30 overflow-hidden"
      data-testid="celebration"
    >
      <style>{`@keyframes autocoder-fall { from { transform: translateY(-10vh) rotate(0deg) } to { transform: translateY(110vh) rotate(540deg) } }`}</style>
      {PIECES.map((piece, index) => (
        <span
          key={index}
          aria-hidden
          className="absolute top-0 h-3 w-2 rounded-sm"
          style={{
            left: `${piece.left}%`,
            background: piece.colour,
            animation: `autocoder-fall 3.5s ${piece.delay}s ease-in forwards`,
          }}
        />
      ))}
      <div
        role="status"
        className="pointer-events-auto absolute top-24 left-1/2 flex -translate-x-1/2 items-center gap-3 rounded-lg border border-passing bg-surface px-5 py-3 shadow-xl"
      >
        <PartyPopper aria-hidden className="size-6 text-passing" />
        <p className="font-semibold">All {stats.total} features pass.</p>
        <Button size="sm" onClick={() => setShown(false)}>
          Close
        </Button>
      </div>
    </div>
  )
}
