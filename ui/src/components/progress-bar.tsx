export function ProgressBar({
  value,
  total,
  label,
}: {
  value: number
  total: number
  label: string
}) {
  const percent = total === 0 ? 0 : Math.round((value / total) * 1000) / 10
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={value}
      aria-valuetext={`${value} of ${total} (${percent}%)`}
      className="h-2 w-full overflow-hidden rounded-full bg-surface-2"
    >
      {/* scaleX, not width: the compositor animates it without layout. */}
      <div
        className="h-full w-full origin-left bg-passing transition-transform duration-500"
        style={{ transform: `scaleX(${percent / 100})` }}
      />
    </div>
  )
}
