import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { setFlagsFromString } from 'node:v8'

/** Where the tree-sitter-bash wasm grammar is installed. */
export function bashGrammarPath(): string {
  return createRequire(import.meta.url).resolve('tree-sitter-bash/tree-sitter-bash.wasm')
}

/**
 * How V8 compiles wasm from now on (tree-sitter is the only wasm the program loads), set before
 * the grammar compiles. Liftoff only: the grammar's lexer is one 160 KB wasm function, hot from
 * the first parse, and V8's optimizing compiler (TurboFan) then spends about 1 s of CPU and 60 MB
 * on it, which node finishes even in a process that checks one command, for code no faster for
 * us (11,250 commands: 2.5 s of CPU with Liftoff only, 3.9 s with TurboFan). Eager: every function
 * compiles when the module loads, on V8's background threads while the main thread goes on, where
 * a lazy module compiled its lexer on the main thread at the first parse (~30 ms of
 * `autocoder policy check`). The same code, sooner.
 */
export function setWasmCompileFlags(): void {
  setFlagsFromString('--liftoff-only')
  setFlagsFromString('--no-wasm-lazy-compilation')
}

/** The global WebAssembly's one call used here (TypeScript declares it in the DOM library only). */
const { WebAssembly: wasm } = globalThis as unknown as {
  WebAssembly: { compile(bytes: Uint8Array): Promise<object> }
}

let early: Promise<object[]> | undefined

/**
 * Starts compiling the bash grammar and tree-sitter's runtime now, before web-tree-sitter's
 * JavaScript has loaded: its own compilations of the same bytes, moments later, then take the
 * result from V8's native module cache (keyed by the bytes; it waits for a compilation in
 * progress) instead of compiling again. `autocoder policy check` calls it first thing; a failure
 * here is the parser's to report, when it loads the wasm itself.
 */
export function compileBashGrammarEarly(): void {
  setWasmCompileFlags()
  try {
    const require = createRequire(import.meta.url)
    const files = [bashGrammarPath(), require.resolve('web-tree-sitter/tree-sitter.wasm')]
    early ??= Promise.all(files.map((file) => wasm.compile(readFileSync(file))))
    early.catch(() => undefined)
  } catch {
    // unreadable or missing: loadBashParser reports it with the fix
  }
}
