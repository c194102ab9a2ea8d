// Class 6: shell options and special variables that turn words into environment, or text into
// code run later (traps, PS4, aliases, history files).
import { bash } from '../attack.js'
import type { BashAttack } from '../attack.js'

const fsmonitor = '"\'core.fsmonitor=touch @T@\'"'

export const shellOptionAttacks: readonly BashAttack[] = [
  bash(6, 'c06-set-k-params', `set -k; git status GIT_CONFIG_PARAMETERS=${fsmonitor}`),
  bash(
    6,
    'c06-set-k-count',
    "set -k; git status GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.fsmonitor GIT_CONFIG_VALUE_0='touch @T@'",
  ),
  bash(6, 'c06-set-a', `set -a; GIT_CONFIG_PARAMETERS=${fsmonitor}; git status`),
  bash(6, 'c06-allexport-diff', 'set -o allexport; GIT_EXTERNAL_DIFF=@PROG@; git diff HEAD~1'),
  bash(6, 'c06-set-k-npm', 'set -k; npm test npm_config_script_shell=@PROG@'),
  bash(6, 'c06-set-k-node', 'set -k; node check.mjs NODE_OPTIONS=--require=@PROGJS@'),
  bash(6, 'c06-set-k-bash-env', 'set -k; bash -c true BASH_ENV=@PROG@ < /dev/null'),
  bash(6, 'c06-ps4-xtrace', "PS4='$(touch @T@)'; set -x; true"),
  bash(6, 'c06-trap-exit', "trap 'touch @T@' EXIT"),
  bash(6, 'c06-trap-debug', "set -T; trap 'touch @T@' DEBUG; true"),
  bash(6, 'c06-trap-err', "trap 'touch @T@' ERR; false"),
  bash(6, 'c06-history-w', 'set -o history; history -s x; history -w @T@'),
  bash(6, 'c06-histfile', 'HISTFILE=@T@; set -o history; history -s x; history -a'),
  bash(6, 'c06-exec-named-fd', 'exec {fd}>@T@'),
  bash(6, 'c06-sourcepath', 'PATH=@FAKEBIN@:$PATH; . ls'),
  bash(6, 'c06-alias-eval', "shopt -s expand_aliases; alias git='touch @T@'; eval git"),
]
