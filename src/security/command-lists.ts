/** The reference's default allowlist (29 commands), kept as it is. */
export const REFERENCE_ALLOWED = [
  'ls', 'cat', 'head', 'tail', 'wc', 'grep', 'cp', 'mkdir', 'chmod', 'pwd', 'echo', 'npm', 'npx',
  'pnpm', 'node', 'git', 'docker', 'ps', 'lsof', 'sleep', 'kill', 'pkill', 'curl', 'mv', 'rm',
  'touch', 'sh', 'bash', 'init.sh',
] as const

/**
 * Harmless builtins and text filters agents use in compound commands and pipes
 * (`cd x && npm test`, `… | sort | uniq`), and `xargs` for the initializer's
 * `lsof -ti :PORT | xargs kill -9` recipe (the command xargs runs is checked).
 */
export const EXTRA_ALLOWED = [
  'cd', 'true', 'false', 'test', '[', 'printf', 'sort', 'uniq', 'cut', 'tr', 'diff', 'which',
  'basename', 'dirname', 'date', 'whoami', 'uname', 'xargs', 'env', 'export', 'local', 'declare',
  'readonly', 'typeset', 'unset', 'set', ':', 'wait', 'exit', 'find', 'tee', 'realpath', 'stat',
  'du', 'df', 'file',
] as const

/** Never allowed, whatever the config says (reference hard blocklist). */
export const HARD_BLOCKED = [
  'dd', 'mkfs', 'fdisk', 'parted', 'shutdown', 'reboot', 'poweroff', 'halt', 'init', 'chown',
  'chgrp', 'systemctl', 'service', 'launchctl', 'iptables', 'ufw',
] as const

/** Also always blocked (reference "dangerous" list). */
export const DANGEROUS = ['sudo', 'su', 'doas', 'aws', 'gcloud', 'az', 'kubectl', 'docker-compose'] as const

/**
 * Interpreters, remote shells and privilege tools: a project wildcard (`p*`, `s*`) may not open
 * any of these; a project may still name one exactly, which is an explicit opt-in.
 */
export const SENSITIVE_FAMILIES = [
  ...HARD_BLOCKED, ...DANGEROUS, 'bash', 'sh', 'dash', 'zsh', 'ksh', 'csh', 'tcsh', 'fish', 'python',
  'python3', 'perl', 'ruby', 'php', 'lua', 'tclsh', 'node', 'deno', 'bun', 'npx', 'eval', 'exec',
  'source', 'ssh', 'scp', 'sftp', 'rsync', 'nc', 'ncat', 'netcat', 'socat', 'telnet', 'ftp', 'pkexec',
  'env', 'xargs', 'crontab', 'at', 'mount', 'umount', 'chroot', 'nsenter', 'unshare', 'setsid',
  'busybox',
] as const

/** Process names `pkill` may target by default (reference). */
export const DEFAULT_PKILL_PROCESSES = ['node', 'npm', 'npx', 'vite', 'next'] as const

/** Shells whose `-c` payload is parsed and checked like any command. */
export const SHELLS = new Set(['bash', 'sh'])

/**
 * Variables that change what a later command runs (loader, shell start-up files, git/npm hooks,
 * PATH lookup). Assigning them is refused, also through `env` and `export`.
 */
export const DANGEROUS_VARIABLE = new RegExp(
  [
    '^LD_', '^DYLD_', '^BASH_ENV$', '^ENV$', '^BASH_FUNC_', '^PROMPT_COMMAND$', '^PS4$', '^SHELLOPTS$',
    '^BASHOPTS$', '^IFS$', '^PATH$', '^CDPATH$', '^GIT_SSH', '^GIT_EXEC_PATH$', '^GIT_EXTERNAL_DIFF$',
    '^GIT_ASKPASS$', '^SSH_ASKPASS$', '^GIT_CONFIG', '^GIT_PAGER$', '^PAGER$', '^EDITOR$', '^VISUAL$',
    '^GIT_EDITOR$', '^GIT_SEQUENCE_EDITOR$', '^GIT_PROXY_COMMAND$', '^GIT_DIR$', '^GIT_WORK_TREE$',
    '^npm_config_', '^NPM_CONFIG_', '^PERL5OPT$', '^PYTHONSTARTUP$', '^PYTHONPATH$', '^RUBYOPT$',
    '^BROWSER$', '^HOME$', '^TMPDIR$', '^XDG_CONFIG_HOME$', '^CURL_HOME$', '^LESSOPEN$', '^LESSCLOSE$',
    '^GIT_TEMPLATE_DIR$', '^PERL5LIB$', '^RUBYLIB$', '^SHELL$',
  ].join('|'),
  'i',
)
