// Class 3: bash evaluates array subscripts in quoted text as arithmetic, which runs `$(...)`.
import { bash } from '../attack.js'
import type { BashAttack } from '../attack.js'

const sub = "'a[$(touch @T@)]'"

export const arithmeticAttacks: readonly BashAttack[] = [
  bash(3, 'c03-dbl-bracket-eq', `[[ ${sub} -eq 0 ]]`),
  bash(3, 'c03-dbl-bracket-lt-right', `[[ 1 -lt ${sub} ]]`),
  bash(3, 'c03-dbl-bracket-v', `[[ -v ${sub} ]]`),
  bash(3, 'c03-test-v', `test -v ${sub}`),
  bash(3, 'c03-declare', "declare 'a[$(touch @T@)]=1'"),
  bash(3, 'c03-typeset', "typeset 'a[$(touch @T@)]=1'"),
  bash(3, 'c03-local-in-function', "f(){ local -a 'a[$(touch @T@)]=1'; }; f"),
  bash(3, 'c03-printf-v', `printf -v ${sub} 1`),
  bash(3, 'c03-wait-p', `sleep 0 & wait -n -p ${sub}`),
  bash(3, 'c03-let', "let 'a[$(touch @T@)]=1'"),
  bash(3, 'c03-unset', `a=(1); unset ${sub}`),
  bash(3, 'c03-read', `read ${sub} <<< x`),
  bash(3, 'c03-integer-var', `declare -i n; n=${sub}`),
  bash(3, 'c03-nameref', `declare -n r=${sub}; r=1`),
  bash(3, 'c03-subscript-var', `i=${sub}; a=(1); echo "\${a[i]}"`),
  bash(3, 'c03-local-in-subshell', `( declare -a b; b[${sub}]=1 )`),
]
