/**
 * Runs every bench/*.bench.ts in turn (each in its own process) and passes through the JSON lines
 * they print. `npm run bench` or `npm run bench -- plan tools` for a subset.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const dir = import.meta.dirname
const filters = process.argv.slice(2)
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort()
const loader = pathToFileURL(join(dir, '..', 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
let failed = 0
for (const file of files) {
  process.stderr.write(`bench: ${file}\n`)
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', loader, join(dir, file)], {
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  if (result.status !== 0) {
    failed++
    process.stderr.write(`bench: ${file} failed with exit code ${result.status}\n`)
  }
}
process.exitCode = failed ? 1 : 0
