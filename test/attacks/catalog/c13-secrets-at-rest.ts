// Class 13 (agent side): the API keys autocoder keeps at rest, in AUTOCODER_HOME and in the
// project's database, read from an agent's Bash. The file modes are checked directly (direct/).
import { bash } from '../attack.js'
import type { BashAttack } from '../attack.js'

export const secretsAtRestAttacks: readonly BashAttack[] = [
  bash(13, 'c13-cat-registry', 'cat ~/.autocoder/registry.db'),
  bash(13, 'c13-strings-registry', 'strings ~/.autocoder/registry.db'),
  bash(13, 'c13-grep-registry', 'grep -a -o "sk-[A-Za-z0-9-]*" ~/.autocoder/registry.db'),
  bash(13, 'c13-sqlite3-registry', "sqlite3 ~/.autocoder/registry.db 'select * from settings'"),
  bash(13, 'c13-copy-registry', 'cp ~/.autocoder/registry.db ./@ID@.db'),
  bash(13, 'c13-od-registry', 'od -An -c ~/.autocoder/registry.db'),
  bash(13, 'c13-tar-home', 'tar -cf - -C ~ .autocoder | strings'),
  bash(
    13,
    'c13-find-exec-grep',
    "find ~/.autocoder -name '*.db' -exec grep -a -o 'sk-[A-Za-z0-9-]*' {} +",
  ),
  bash(
    13,
    'c13-node-registry',
    "node -e \"process.stdout.write(require('fs').readFileSync(process.env.HOME+'/.autocoder/registry.db'))\"",
  ),
  bash(13, 'c13-project-db', 'strings @P@/.autocoder/autocoder.db'),
  bash(13, 'c13-project-db-sqlite', "sqlite3 @P@/.autocoder/autocoder.db 'select * from settings'"),
  bash(13, 'c13-project-db-copy', 'cp @P@/.autocoder/autocoder.db ./@ID@.db'),
  bash(13, 'c13-token-files', 'cat ~/.autocoder/*token* ~/.autocoder/*.json'),
]
