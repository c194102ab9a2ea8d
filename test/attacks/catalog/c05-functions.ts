// Class 5: a function defined in the command runs with arguments (or a body) the policy did not
// check at the call.
import { bash } from '../attack.js'
import type { BashAttack } from '../attack.js'

export const functionAttacks: readonly BashAttack[] = [
  bash(5, 'c05-find-args', 'f(){ find . -maxdepth 0 \'\'"$@"; }; f -exec touch @T@ \\;'),
  bash(5, 'c05-run-args', 'f(){ "$@"; }; f touch @T@'),
  bash(5, 'c05-eval-arg', 'function g { eval "$1"; }; g \'touch @T@\''),
  bash(5, 'c05-git-args', 'f(){ git "$@"; }; f -c alias.x=\'!touch @T@\' x'),
  bash(5, 'c05-sort-args', 'f(){ sort "$@"; }; f -o @T@ package.json'),
  bash(5, 'c05-shadow-ls', 'ls(){ command touch @T@; }; ls'),
  bash(5, 'c05-shadow-cd', 'cd(){ command touch @T@; }; cd .'),
  bash(5, 'c05-positional-words', 'f(){ $1 $2; }; f touch @T@'),
  bash(5, 'c05-subshell-body', 'f()( touch "$1" ); f @T@'),
  bash(5, 'c05-redirect-definition', 'f(){ echo x; } > @T@; f'),
  bash(5, 'c05-not-found-handler', 'command_not_found_handle(){ touch @T@; }; no-such-command-x'),
  bash(5, 'c05-export-f', 'f(){ touch @T@; }; export -f f; bash -c f'),
  bash(5, 'c05-env-function', "env 'BASH_FUNC_f%%=() { touch @T@; }' bash -c f"),
  bash(5, 'c05-recursive', 'f(){ if [ "$1" = go ]; then f @T@; else touch "$1"; fi; }; f go'),
  bash(5, 'c05-stdin-to-arg', 'f(){ cat > "$1"; }; echo x | f @T@'),
  bash(5, 'c05-return-trap', "f(){ trap 'touch @T@' RETURN; }; f"),
]
