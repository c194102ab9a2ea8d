import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

// On its own (no SQLite) so that commands which only need the path load nothing else.
/** `$AUTOCODER_HOME`, default `~/.autocoder`. */
export function autocoderHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.AUTOCODER_HOME || join(homedir(), '.autocoder'))
}
