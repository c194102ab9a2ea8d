/**
 * The part of a tree-sitter node the policy reads. web-tree-sitter's `Node` satisfies it; keeping
 * our own interface lets the pure analysis run on any tree (and keeps wasm types out of the core).
 */
export interface SyntaxNode {
  readonly type: string
  readonly text: string
  readonly isNamed: boolean
  readonly isMissing: boolean
  readonly isError: boolean
  readonly hasError: boolean
  /** Offset of the node in the parsed string (UTF-16 code units, like JS string indexes). */
  readonly startIndex: number
  readonly endIndex: number
  readonly childCount: number
  child(index: number): SyntaxNode | null
  fieldNameForChild(index: number): string | null
}

/** Children of a node with the field name each one has in its parent. */
export function childrenOf(node: SyntaxNode): { node: SyntaxNode; field: string | null }[] {
  const out: { node: SyntaxNode; field: string | null }[] = []
  for (let i = 0; i < node.childCount; i++) {
    const child = node.child(i)
    if (child) out.push({ node: child, field: node.fieldNameForChild(i) })
  }
  return out
}

/** Shortens text for messages. */
export function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}
