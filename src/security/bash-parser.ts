import { Language, Parser } from 'web-tree-sitter'

import { bashGrammarPath, setWasmCompileFlags } from './bash-wasm.js'
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
  setWasmCompileFlags()
  await Parser.init()
  const language = await Language.load(bashGrammarPath())
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
