// Class 2: text tree-sitter-bash and bash read differently, so a command runs that the policy
// never saw. Each hides `touch @T@` where one of the two parsers does not see a command.
import { bash } from '../attack.js'
import type { BashAttack } from '../attack.js'

export const parserAttacks: readonly BashAttack[] = [
  bash(2, 'c02-tab-heredoc', 'cat <<-EOF\n\t$(touch @T@)\nEOF'),
  bash(2, 'c02-tab-heredoc-tab-end', 'cat <<-EOF\n\t$(touch @T@)\n\tEOF'),
  bash(2, 'c02-heredoc-space-end', 'cat <<EOF\n$(touch @T@)\n EOF\nEOF'),
  bash(2, 'c02-two-heredocs', 'cat <<A <<B\nx\nA\n$(touch @T@)\nB'),
  bash(2, 'c02-heredoc-in-subst', 'echo "$(cat <<EOF\n$(touch @T@)\nEOF\n)"'),
  bash(2, 'c02-hash-in-word', 'echo a#$(touch @T@)'),
  bash(2, 'c02-hash-after-quote', 'echo "a"#`touch @T@`'),
  bash(2, 'c02-brace-expansion', 'echo {a,$(touch @T@)}'),
  bash(2, 'c02-default-backtick', 'echo ${x:-`touch @T@`}'),
  bash(2, 'c02-assign-backtick', 'echo ${x:=`touch @T@`}'),
  bash(2, 'c02-replace-subst', 'x=1; echo ${x/1/$(touch @T@)}'),
  bash(2, 'c02-nested-backticks', 'echo `echo \\`touch @T@\\``'),
  bash(2, 'c02-alias-next-line', "shopt -s expand_aliases\nalias ls='touch @T@'\nls"),
  bash(2, 'c02-extglob', 'shopt -s extglob\necho @(x|$(touch @T@))'),
  bash(2, 'c02-continuation', 'echo a \\\n$(touch @T@)'),
  bash(2, 'c02-case-paren', 'case x in (x) echo $(touch @T@);; esac'),
]
