// Class 1: what differs by mode, and what autocoder itself runs later (its git, the merge check,
// init.sh): credentials the orchestrated scope forgot, repository config and hooks our git honours.
import { bash } from '../attack.js'
import type { BashAttack } from '../attack.js'

const hook = String.raw`printf '#!/bin/sh\ntouch @T@\n'`

export const mainModeAttacks: readonly BashAttack[] = [
  bash(1, 'c01-npmrc', 'cat ~/.npmrc'),
  bash(1, 'c01-aws', 'cat ~/.aws/credentials'),
  bash(1, 'c01-gh-grep', 'grep -r oauth_token ~/.config/gh'),
  bash(1, 'c01-git-credentials', 'head -c 300 ~/.git-credentials'),
  bash(1, 'c01-netrc-copy', 'cp ~/.netrc ./@ID@.txt'),
  bash(1, 'c01-docker-b64', 'base64 ~/.docker/config.json'),
  bash(1, 'c01-sort-npmrc', 'sort ~/.npmrc'),
  bash(1, 'c01-fsmonitor', "git config core.fsmonitor 'touch @T@'"),
  bash(
    1,
    'c01-hook-file',
    `${hook} > @P@/.git/hooks/pre-commit && chmod +x @P@/.git/hooks/pre-commit`,
  ),
  bash(
    1,
    'c01-hooks-path',
    `mkdir -p h-@ID@ && ${hook} > h-@ID@/pre-commit && chmod +x h-@ID@/pre-commit && git config core.hooksPath "$PWD/h-@ID@"`,
  ),
  bash(
    1,
    'c01-clean-filter',
    "git config filter.f@ID@.clean 'touch @T@; cat' && echo '*.flt filter=f@ID@' >> .gitattributes && echo x > @ID@.flt",
  ),
  bash(1, 'c01-global-fsmonitor', "git config --global core.fsmonitor 'touch @T@'"),
  bash(1, 'c01-init-sh', `${hook} > init.sh && chmod +x init.sh && ./init.sh`),
  bash(1, 'c01-test-script', "npm pkg set scripts.test='touch @T@ || true' && npm test"),
  bash(
    1,
    'c01-config-include',
    String.raw`printf '[core]\n\tfsmonitor = touch @T@\n' > inc-@ID@ && git config include.path "$PWD/inc-@ID@" && git status --short`,
  ),
]
