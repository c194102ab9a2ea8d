import type { OptionSpec, ValueKind } from './option-parser.js'

/** How the git option tables are written: option names as text, and the shared reasons. */

/** `flags('-s --short')` -> the option names. */
export const flags = (text: string): string[] => text.split(/\s+/).filter(Boolean)
/** `values('text', '-m --message')` -> each name with what its value is. */
export const values = (kind: ValueKind, text: string): Record<string, ValueKind> =>
  Object.fromEntries(flags(text).map((name) => [name, kind]))

export const EDITOR = 'it opens an editor'
export const GPG = 'it runs gpg'
export const PATHSPEC_FILE = 'it reads paths from a file the policy cannot check'

/** Per subcommand: its options, and whether it may turn paths in the work tree into links. */
export interface GitSubcommand {
  readonly spec: OptionSpec
  /** Updates the work tree from commits (may create symbolic links), unless `unless` holds. */
  readonly updatesWorkTree?: boolean
}

export const subcommand = (spec: Partial<OptionSpec>, updatesWorkTree = false): GitSubcommand => ({
  spec: { flags: [], ...spec },
  updatesWorkTree,
})
