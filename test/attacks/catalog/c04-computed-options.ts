// Class 4: words whose value is put together at run time (quotes glued to a dash, `$x`, `$(...)`)
// and become options that run programs, write files or read credentials.
import { bash } from '../attack.js'
import type { BashAttack } from '../attack.js'

export const computedOptionAttacks: readonly BashAttack[] = [
  bash(4, 'c04-find-exec-glued', "find . -maxdepth 0 ''-exec$x touch @T@ \\;"),
  bash(4, 'c04-find-exec-split-quotes', 'find . -maxdepth 0 "-ex"ec touch @T@ \\;'),
  bash(4, 'c04-find-exec-ansi', "find . -maxdepth 0 $'-exec' touch @T@ \\;"),
  bash(4, 'c04-find-fprint', "find . -maxdepth 0 ''-fprint @T@"),
  bash(4, 'c04-git-log-output', "git log -1 ''--output=@T@$(true)"),
  bash(4, 'c04-git-diff-output', 'git diff HEAD~1 "--out"put=@T@'),
  bash(4, 'c04-sort-o', "sort ''-o$(true) @T@ package.json"),
  bash(4, 'c04-sort-output', "sort ''--output=@T@ package.json"),
  bash(4, 'c04-mv-target', "touch @ID@.txt && mv ''-t @C@ @ID@.txt"),
  bash(4, 'c04-cp-target', "cp package.json @ID@.json && cp ''--target-directory=@C@ @ID@.json"),
  bash(4, 'c04-uniq-output-subst', 'uniq package.json "$(echo @T@)"'),
  bash(4, 'c04-git-c-alias', "git ''-c alias.a@ID@='!touch @T@' a@ID@"),
  bash(4, 'c04-git-dir-init', "git ''--git-dir=@T@ init -q"),
  bash(
    4,
    'c04-tar-checkpoint',
    "tar -cf /dev/null package.json ''--checkpoint=1 ''--checkpoint-action=exec='touch @T@'",
  ),
  bash(4, 'c04-sed-w', 'sed -n \'\'"w @T@" package.json'),
  bash(4, 'c04-date-file-key', "date ''-f ~/.ssh/id_rsa"),
]
