#!/usr/bin/env node
// Entry point: runs the built CLI (`npm run build`) when it is up to date with the sources, else
// the TypeScript sources through tsx (a checkout that was edited since the last build).
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const built = join(root, 'dist', 'cli', 'main.js')
const sources = join(root, 'src')

function newestSourceMs(dir) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMs(path) : statSync(path).mtimeMs)
  }
  return newest
}

const useBuild =
  existsSync(built) && (!existsSync(sources) || statSync(built).mtimeMs >= newestSourceMs(sources))
if (useBuild) {
  await import(pathToFileURL(built).href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import(pathToFileURL(join(sources, 'cli', 'main.ts')).href)
}
