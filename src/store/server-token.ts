import { randomBytes } from 'node:crypto'
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { err, ok } from '../core/index.js'
import type { Result } from '../core/index.js'
import { ensurePrivateHome, fileMode, PRIVATE_FILE_MODE, reportOnStderr } from './private-files.js'
import type { PermissionReport } from './private-files.js'
import type { StoreError } from './error-codes.js'

/** The file in `$AUTOCODER_HOME` holding the web server's access token. */
export const SERVER_TOKEN_FILE = 'server-token'

/** At least 256 bits in base64url (what `generateToken` makes); a person may write a longer one. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43,512}$/

/** A fresh access token: 256 random bits, URL-safe. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url')
}

export function serverTokenPath(home: string): string {
  return join(home, SERVER_TOKEN_FILE)
}

function readToken(path: string): Result<string, StoreError> {
  let text: string
  try {
    text = readFileSync(path, 'utf8').trim()
  } catch (cause) {
    return err(
      'TOKEN_FILE_FAILED',
      `Could not read the server token at ${path}: ${(cause as Error).message}; check its permissions.`,
      cause,
    )
  }
  if (!TOKEN_PATTERN.test(text))
    return err(
      'TOKEN_FILE_INVALID',
      `The server token at ${path} is not 43 to 512 URL-safe characters (A-Z a-z 0-9 _ -); delete the file and autocoder makes a new one.`,
    )
  return ok(text)
}

/**
 * The web server's access token from `<home>/server-token`, created on first use (home 0700, its
 * files 0600, see `ensurePrivateHome`) and reused afterwards, so an address opened once keeps working across restarts. Creation
 * is atomic (a complete file is linked into place), so two servers starting together agree.
 */
export function loadServerToken(
  home: string,
  report: PermissionReport = reportOnStderr,
): Result<{ token: string; path: string; created: boolean }, StoreError> {
  const dir = ensurePrivateHome(home, report)
  if (!dir.ok) return dir
  const path = serverTokenPath(home)
  let created = false
  if (fileMode(path) === null) {
    const draft = join(
      home,
      `.${SERVER_TOKEN_FILE}.${process.pid}.${randomBytes(4).toString('hex')}`,
    )
    try {
      writeFileSync(draft, `${generateToken()}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' })
      linkSync(draft, path)
      created = true
    } catch (cause) {
      // EEXIST from the link: another process made the token first; read theirs.
      if (fileMode(path) === null)
        return err(
          'TOKEN_FILE_FAILED',
          `Could not create the server token at ${path}: ${(cause as Error).message}; check that ${home} is writable.`,
          cause,
        )
    } finally {
      rmSync(draft, { force: true })
    }
  }
  const token = readToken(path)
  return token.ok ? ok({ token: token.value, path, created }) : token
}

/** Where the token lives and whether it is private, without reading it (status, doctor). */
export function describeServerToken(home: string): {
  path: string
  exists: boolean
  private: boolean
} {
  const path = serverTokenPath(home)
  const mode = fileMode(path)
  const homeMode = fileMode(home)
  const isPrivate =
    process.platform === 'win32' ||
    (mode !== null && (mode & 0o077) === 0 && homeMode !== null && (homeMode & 0o077) === 0)
  return { path, exists: mode !== null, private: isPrivate }
}
