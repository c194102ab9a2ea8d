// The real autocoder server serving the built UI, over a temp home, for browser tests.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

import type { AutocoderApp } from '../../src/server/index.js'
import type { Harness } from '../integration/server/app-harness.js'
import { startHarness } from '../integration/server/app-harness.js'

const root = join(import.meta.dirname, '..', '..')
export const UI_DIST = join(root, 'ui', 'dist')

/**
 * Builds ui/dist when it is older than its sources (scripts/build-ui.mjs decides; several test
 * files at once wait for each other through Vite's own output, so the build runs under a lock).
 */
export function ensureUiBuilt(): void {
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build-ui.mjs'), '--locked'], {
    encoding: 'utf8',
    timeout: 300_000,
  })
  if (result.status !== 0)
    throw new Error(`building the UI failed: ${result.stderr || result.stdout}`)
}

/**
 * The address `autocoder ui` prints, for any page: opening it sets the token cookie (HttpOnly)
 * and redirects to `path` without the token.
 */
export function startAddress(app: AutocoderApp, path = '/'): string {
  const url = new URL(path, app.url)
  url.searchParams.set('token', app.token)
  return url.toString()
}

export type UiHarness = Harness

/** Starts the server with the built UI; options as `startHarness`. */
export async function startUiServer(
  options: Parameters<typeof startHarness>[0] = {},
): Promise<Harness> {
  ensureUiBuilt()
  return startHarness({ ...options, uiDir: UI_DIST })
}
