/** How the walker in analyze-shell.ts treats each tree-sitter-bash node type. */

/** Node types that only group other statements or words; their children are walked. */
export const CONTAINERS = new Set([
  'program',
  'list',
  'compound_statement',
  'subshell',
  'do_group',
  'if_statement',
  'elif_clause',
  'else_clause',
  'while_statement',
  'for_statement',
  'case_statement',
  'case_item',
  'negated_command',
  'variable_assignments',
  'heredoc_body',
  'concatenation',
  'array',
])

/** Leaves that never run anything by themselves. */
export const LEAVES = new Set([
  'word',
  'number',
  'raw_string',
  'string_content',
  'ansi_c_string',
  'translated_string',
  'simple_expansion',
  'variable_name',
  'special_variable_name',
  'extglob_pattern',
  'regex',
  'heredoc_content',
  'heredoc_start',
  'heredoc_end',
  'file_descriptor',
  'test_operator',
  'comment',
  'brace_expression',
])

/**
 * Leaves whose text bash still expands. tree-sitter-bash sometimes leaves a substitution inside
 * them as plain text (`${x:=`cmd`}`); such a leaf means the tree and bash disagree.
 */
export const EXPANDED_LEAVES = new Set([
  'word',
  'regex',
  'extglob_pattern',
  'string_content',
  'heredoc_content',
])
