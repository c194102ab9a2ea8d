import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Builds the sources once per test run (esbuild, ~100 ms) into a private folder at the repository
 * root, so tests that spawn the CLI start it with plain node instead of compiling TypeScript each
 * time. Several test runs at once each get their own folder.
 */
export default function setup(): () => void {
  const root = join(import.meta.dirname, '..')
  const name = `.build-test-${process.pid}`
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), name], {
    encoding: 'utf8',
  })
  if (result.status !== 0) throw new Error(`build for tests failed: ${result.stderr}`)
  process.env.AUTOCODER_TEST_BUILD = join(root, name)
  return () => rmSync(join(root, name), { recursive: true, force: true })
}
