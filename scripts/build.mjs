#!/usr/bin/env node
// Transpiles src/**/*.ts to JavaScript with esbuild, one file per source file, keeping the layout
// (so paths like ../../prompts resolve the same from src/ and the output), plus one bundled entry
// for `autocoder policy check` (below). Type checking is `npm run typecheck`; this only strips
// types. Usage: node scripts/build.mjs [outdir] (default dist).
// Without an outdir it also builds the web UI into ui/dist when that is out of date (build-ui.mjs).
import { readdirSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'

import { build } from 'esbuild'

import { buildUi } from './build-ui.mjs'

const root = join(import.meta.dirname, '..')
const withUi = process.argv[2] === undefined
const outdir = join(root, process.argv[2] ?? 'dist')
if (
  relative(root, outdir).startsWith('..') ||
  relative(root, outdir) === '' ||
  relative(root, outdir).includes('/')
) {
  throw new Error(`outdir must be a folder directly inside the repository, got ${outdir}`)
}

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

rmSync(outdir, { recursive: true, force: true })
await build({
  entryPoints: sources(join(root, 'src')),
  outdir,
  outbase: join(root, 'src'),
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
})
// `autocoder policy check` loads the policy and the decision: ~45 small files, which Node 20's ESM
// loader resolves and reads one by one. Their entry (src/security/policy-check.ts) is built once
// more, bundled into one file over its per-file output; what it imports dynamically stays a chunk
// of its own (the config schemas load zod only when a config file exists), packages stay imports.
await build({
  entryPoints: [join(root, 'src', 'security', 'policy-check.ts')],
  outdir,
  outbase: join(root, 'src'),
  bundle: true,
  splitting: true,
  chunkNames: 'security/policy-check-[name]-[hash]',
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
})
if (withUi) await buildUi()
