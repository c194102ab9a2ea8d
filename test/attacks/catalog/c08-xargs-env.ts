// Class 8: arguments that arrive through xargs, and environment variables that make allowed
// tools run programs or write elsewhere.
import { bash } from '../attack.js'
import type { BashAttack } from '../attack.js'

export const xargsEnvironmentAttacks: readonly BashAttack[] = [
  bash(8, 'c08-xargs-git-output', 'echo --output=@T@ | xargs git log -1'),
  bash(8, 'c08-xargs-sort-o', 'echo -o @T@ | xargs sort package.json'),
  bash(8, 'c08-xargs-uniq', "printf '%s\\n' package.json @T@ | xargs uniq"),
  bash(8, 'c08-xargs-touch', 'echo @T@ | xargs touch'),
  bash(8, 'c08-xargs-cp', 'echo @T@ | xargs cp package.json'),
  bash(8, 'c08-xargs-i-git-init', 'echo @T@ | xargs -I{} git init -q {}'),
  bash(8, 'c08-node-coverage', 'echo 1 > @ID@.js && NODE_V8_COVERAGE=@T@ node @ID@.js'),
  bash(8, 'c08-node-options', "echo 1 > @ID@.js && NODE_OPTIONS='--require @PROGJS@' node @ID@.js"),
  bash(8, 'c08-git-external-diff', 'GIT_EXTERNAL_DIFF=@PROG@ git diff HEAD~1'),
  bash(8, 'c08-git-editor', 'GIT_EDITOR=@PROG@ git commit -q --allow-empty'),
  bash(8, 'c08-git-ssh-command', 'GIT_SSH_COMMAND=@PROG@ git ls-remote ssh://h/x'),
  bash(8, 'c08-git-index-file', 'GIT_INDEX_FILE=@T@ git add package.json'),
  bash(8, 'c08-git-config-global', 'GIT_CONFIG_GLOBAL=@T@ git config --global a.b c'),
  bash(8, 'c08-git-dir-env', 'GIT_DIR=@T@ git init -q'),
  bash(8, 'c08-env-wrapper', 'env GIT_DIR=@T@ git init -q'),
  bash(8, 'c08-npm-script-shell', 'npm_config_script_shell=@PROG@ npm test'),
  bash(8, 'c08-path-fake-bin', 'PATH=@FAKEBIN@:$PATH ls'),
  bash(8, 'c08-bash-env', 'BASH_ENV=@PROG@ bash -c true < /dev/null'),
]
