// A Vite build plugin: a gzip copy of each built script and style sheet (`name.js.gz`), which the
// server sends to browsers that accept gzip (@fastify/static `preCompressed`). The entry's code is
// ~440 KB and ~130 KB gzipped; the first screen waits for it.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

import type { Plugin } from 'vite'

/** Smaller files gain nothing worth a second file. */
const MIN_BYTES = 1024

export function precompress(): Plugin {
  return {
    name: 'autocoder-precompress',
    apply: 'build',
    // Once written: earlier, chunks still hold placeholders that later plugins fill in.
    writeBundle(options, bundle) {
      const dir = options.dir
      if (dir === undefined) throw new Error('precompress: the build has no output folder')
      for (const file of Object.values(bundle)) {
        if (!/\.(js|css)$/.test(file.fileName)) continue
        const source = file.type === 'chunk' ? file.code : file.source
        if (Buffer.byteLength(source) < MIN_BYTES) continue
        writeFileSync(join(dir, `${file.fileName}.gz`), gzipSync(source, { level: 9 }))
      }
    },
  }
}
