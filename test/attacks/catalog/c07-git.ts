// Class 7: git options, config and plumbing that run programs or write outside the project.
import { bash } from '../attack.js'
import type { BashAttack } from '../attack.js'

const patch = (path: string, mode: string, line: string): string =>
  String.raw`printf 'diff --git a/${path} b/${path}\nnew file mode ${mode}\n--- /dev/null\n+++ b/${path}\n@@ -0,0 +1 @@\n+${line}\n'`

export const gitAttacks: readonly BashAttack[] = [
  bash(7, 'c07-grep-open-files', "git grep -O'touch @T@' -e name -- package.json"),
  bash(7, 'c07-alias', "git config alias.a@ID@ '!touch @T@' && git a@ID@"),
  bash(
    7,
    'c07-nested-repo',
    "git init -q n-@ID@ && git -C n-@ID@ config core.fsmonitor 'touch @T@' && cd n-@ID@ && git status --short",
  ),
  bash(
    7,
    'c07-git-dir-option',
    "git init -q --bare b-@ID@ && git config -f b-@ID@/config core.fsmonitor 'touch @T@' && git --git-dir=b-@ID@ --work-tree=. status --short",
  ),
  bash(
    7,
    'c07-embedded-bare-alias',
    "git init -q --bare e-@ID@ && git config -f e-@ID@/config alias.x '!touch @T@' && cd e-@ID@ && git x",
  ),
  bash(
    7,
    'c07-checkout-index-hooks',
    String.raw`printf '#!/bin/sh\ntouch @T@\n' > pre-commit && chmod +x pre-commit && git add pre-commit && git checkout-index -f --prefix=@P@/.git/hooks/ pre-commit`,
  ),
  bash(7, 'c07-checkout-index-outside', 'git checkout-index -a --prefix=@T@/'),
  bash(7, 'c07-worktree-add', 'git worktree add -q @T@'),
  bash(7, 'c07-clone', 'git clone -q . @T@'),
  bash(7, 'c07-init', 'git init -q @T@'),
  bash(7, 'c07-bundle', 'git bundle create @T@ HEAD'),
  bash(
    7,
    'c07-apply-unsafe-paths',
    `${patch('@ID@', '100644', 'x')} > @ID@.diff && git apply --unsafe-paths --directory=@C@ @ID@.diff`,
  ),
  bash(7, 'c07-trace-file', 'GIT_TRACE=@T@ git status --short'),
  bash(7, 'c07-config-global', "git config --global alias.st '!touch @T@'"),
  bash(7, 'c07-c-fsmonitor', "git -c core.fsmonitor='touch @T@' status --short"),
  bash(7, 'c07-format-patch', 'git format-patch -q -1 -o @T@'),
  bash(7, 'c07-archive', 'git archive -o @T@ HEAD'),
  bash(
    7,
    'c07-bisect-run',
    'git bisect start HEAD HEAD~1 && git bisect run touch @T@; git bisect reset -q',
  ),
  bash(7, 'c07-rebase-exec', "git rebase -q --autostash --exec 'touch @T@' HEAD~1"),
  bash(7, 'c07-difftool', "git difftool -y -x 'touch @T@' HEAD~1"),
  bash(
    7,
    'c07-commit-key-message',
    'git commit -q --allow-empty -F ~/.ssh/id_rsa && git log -1 --format=%B',
  ),
]
