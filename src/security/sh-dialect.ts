import { childrenOf, clip, type SyntaxNode } from './syntax.js'

/**
 * `sh` is dash on Debian, not bash. Most bash-only syntax is a syntax error in dash (arrays,
 * `<(…)`, `<<<`, `|&`), so nothing more runs; but dash reads some text differently and runs it:
 * `$'…'` is not a quote to dash (`sh -c "echo \$'a\\';cmd;echo ' #'"` runs cmd in dash, while
 * bash and tree-sitter-bash see one echo), `[[ a && cmd ]]` and `[[ x > file ]]` are a command,
 * a list and a redirection to dash, and `((cmd))` runs cmd in nested subshells. A `sh -c` string
 * may not use these.
 */
const BASH_ONLY_NODES = new Set(['ansi_c_string', 'translated_string'])
const BASH_ONLY_TOKENS = new Set(['[[', ']]', '((', '))', 'function'])

/** Why `source` cannot run under sh as tree-sitter-bash read it, or null. */
export function shDialectProblem(root: SyntaxNode, source: string): string | null {
  if (/\$['"]/.test(source))
    return 'sh -c: $\'…\' and $"…" quoting is read differently by sh (dash) and bash; use plain quotes'
  return findBashOnly(root)
}

function findBashOnly(node: SyntaxNode): string | null {
  for (const { node: child } of childrenOf(node)) {
    if (BASH_ONLY_NODES.has(child.type) || (!child.isNamed && BASH_ONLY_TOKENS.has(child.type)))
      return `sh -c: ${JSON.stringify(clip(child.text))} is read differently by sh (dash) and bash; use bash -c`
    const inner = findBashOnly(child)
    if (inner) return inner
  }
  return null
}
