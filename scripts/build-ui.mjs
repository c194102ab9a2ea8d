// Builds the web UI (ui/) into ui/dist with Vite, unless ui/dist is newer than everything it is
// built from (ui sources and config, the shared schemas in src/core, the lockfile): `npm start`
// then starts at once. `--force` always builds; `--locked` waits for a build another process is
// running (test files starting together) instead of building over it.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const ui = join(root, 'ui')
const marker = join(ui, 'dist', 'index.html')

function newest(path) {
  if (!existsSync(path)) return 0
  const info = statSync(path)
  if (!info.isDirectory()) return info.mtimeMs
  let latest = info.mtimeMs
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)))
  return latest
}

/** True when ui/dist is missing or older than one of its inputs. */
export function uiIsStale() {
  if (!existsSync(marker)) return true
  const built = statSync(marker).mtimeMs
  const inputs = [
    join(ui, 'src'),
    join(ui, 'index.html'),
    join(ui, 'vite.config.ts'),
    // The build's own plugins.
    join(ui, 'route-preloads.ts'),
    join(ui, 'precompress.ts'),
    join(root, 'src', 'core'),
    join(root, 'package-lock.json'),
  ]
  return inputs.some((input) => newest(input) > built)
}

export async function buildUi({ force = false } = {}) {
  if (!force && !uiIsStale()) return false
  const { build } = await import('vite')
  await build({ configFile: join(ui, 'vite.config.ts'), logLevel: 'warn' })
  return true
}

const lock = join(ui, '.build-lock')
const STALE_LOCK_MS = 5 * 60_000

/** Runs `fn` holding ui/.build-lock (a directory: creating it is atomic). */
async function withLock(fn) {
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch (error) {
      if (error.code !== 'EEXIST') throw error
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > STALE_LOCK_MS)
        rmSync(lock, { recursive: true, force: true })
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  try {
    return await fn()
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const force = process.argv.includes('--force')
  const built = process.argv.includes('--locked')
    ? await withLock(() => buildUi({ force }))
    : await buildUi({ force })
  process.stdout.write(built ? 'ui: built ui/dist\n' : 'ui: ui/dist is up to date\n')
}
