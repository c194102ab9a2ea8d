// A Vite build plugin: when the page opens on a project URL, index.html asks for the code of the
// project frame and of that view (their chunks and what they import, with their CSS) while the
// entry's code loads, instead of after it ran (`preloadRoute` in main.tsx starts loading them only
// then, and the browser finds their imports one level at a time).
import type { Plugin } from 'vite'

import { DEFAULT_VIEW, PROJECT_ROUTE } from './src/app/project-route.js'

interface BuiltChunk {
  type: 'chunk'
  fileName: string
  isEntry: boolean
  facadeModuleId: string | null
  imports: string[]
  viteMetadata?: { importedCss: Set<string> }
}

type Bundle = Record<string, BuiltChunk | { type: 'asset' }>

const VIEW_MODULE = /\/screens\/([^/]+)\/\1-view\.tsx$/

/** The files a chunk needs besides the entry: itself, its static imports (deep) and their CSS. */
function filesOf(bundle: Bundle, fileName: string, seen: Set<string>): void {
  const chunk = bundle[fileName]
  if (chunk?.type !== 'chunk' || chunk.isEntry || seen.has(fileName)) return
  seen.add(fileName)
  for (const css of chunk.viteMetadata?.importedCss ?? []) seen.add(css)
  for (const imported of chunk.imports) filesOf(bundle, imported, seen)
}

function chunkOf(bundle: Bundle, moduleSuffix: string): string {
  const found = Object.values(bundle).find(
    (chunk) => chunk.type === 'chunk' && (chunk.facadeModuleId ?? '').endsWith(moduleSuffix),
  )
  if (found?.type !== 'chunk')
    throw new Error(`route preloads: no chunk for ${moduleSuffix}; is the module still lazy?`)
  return found.fileName
}

/** The inline script: for /projects/<name>[/<view>], a preload link per file it needs. */
function preloadScript(layout: string[], views: Record<string, string[]>): string {
  return `;(() => {
  const view = ${PROJECT_ROUTE.toString()}.exec(location.pathname)
  if (!view) return
  const views = ${JSON.stringify(views)}
  for (const file of ${JSON.stringify(layout)}.concat(views[view[1] ?? ${JSON.stringify(DEFAULT_VIEW)}] ?? [])) {
    const link = document.createElement('link')
    link.rel = file.endsWith('.css') ? 'preload' : 'modulepreload'
    if (file.endsWith('.css')) link.as = 'style'
    link.crossOrigin = ''
    link.href = '/' + file
    document.head.appendChild(link)
  }
})()`
}

/**
 * The views are the lazy chunks of `screens/<name>/<name>-view.tsx` (app/project-views.ts), the
 * frame is `screens/project/project-layout.tsx`; the build fails when the frame is not a chunk.
 */
export function routePreloads(): Plugin {
  return {
    name: 'autocoder-route-preloads',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const bundle = context.bundle as Bundle | undefined
        if (bundle === undefined) return undefined
        const layout = new Set<string>()
        filesOf(bundle, chunkOf(bundle, '/screens/project/project-layout.tsx'), layout)
        const views: Record<string, string[]> = {}
        for (const chunk of Object.values(bundle)) {
          if (chunk.type !== 'chunk') continue
          const view = VIEW_MODULE.exec(chunk.facadeModuleId ?? '')?.[1]
          if (view === undefined) continue
          const files = new Set<string>()
          filesOf(bundle, chunk.fileName, files)
          views[view] = [...files].filter((file) => !layout.has(file))
        }
        return [{ tag: 'script', children: preloadScript([...layout], views), injectTo: 'head' }]
      },
    },
  }
}
