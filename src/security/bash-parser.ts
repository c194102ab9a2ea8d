import { createRequire } from 'node:module'
import { setFlagsFromString } from 'node:v8'

import { Language, Parser } from 'web-tree-sitter'

import type { SyntaxNode } from './syntax.js'

/** A loaded bash grammar: parsing is synchronous once the wasm is initialised. */
export interface BashParser {
  /** Parses `source` and hands the root to `use`; the tree is freed afterwards. */
  withTree<T>(source: string, use: (root: SyntaxNode) => T): T | null
}

let loading: Promise<BashParser> | undefined

/**
 * Loads web-tree-sitter and the tree-sitter-bash wasm grammar once per process. The native
 * tree-sitter-bash build is denied on purpose: only the wasm is used.
 */
export function loadBashParser(): Promise<BashParser> {
  loading ??= initialise()
  return loading
}

async function initialise(): Promise<BashParser> {
  const require = createRequire(import.meta.url)
  const wasmPath = require.resolve('tree-sitter-bash/tree-sitter-bash.wasm')
  // The grammar's lexer is one 160 KB wasm function, hot from the first parse. V8's optimizing
  // compiler (TurboFan) then spends about 1 s of CPU and 60 MB on it, which node finishes even in
  // a process that checks one command, and its code is no faster for us: 11,250 commands take
  // 2.5 s of CPU with the baseline compiler (Liftoff) only, 3.9 s with TurboFan. The flag applies
  // to wasm compiled from now on; tree-sitter is the only wasm the program loads.
  setFlagsFromString('--liftoff-only')
  // Compile every function when the module loads instead of at its first call: the async
  // compilation below then runs on V8's background threads while the main thread goes on (loading
  // the decision's modules, reading config), where a lazy module compiled its lexer on the main
  // thread during the first parse (~30 ms of `autocoder policy check`). The same code, sooner.
  setFlagsFromString('--no-wasm-lazy-compilation')
  await Parser.init()
  const language = await Language.load(wasmPath)
  const parser = new Parser()
  parser.setLanguage(language)
  return {
    withTree<T>(source: string, use: (root: SyntaxNode) => T): T | null {
      const tree = parser.parse(source)
      if (!tree) return null
      try {
        return use(tree.rootNode)
      } finally {
        tree.delete()
      }
    },
  }
}
