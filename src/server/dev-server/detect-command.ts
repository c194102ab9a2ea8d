import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

import { err, ok } from '../../core/index.js'
import type { Result } from '../../core/index.js'
import type { ServerError } from '../error-codes.js'

export interface DetectedCommand {
  argv: string[]
  /** What it was derived from, for the UI: `package.json scripts.dev`, `Cargo.toml`, ... */
  source: string
}

function packageRunner(dir: string): 'npm' | 'pnpm' | 'yarn' {
  if (existsSync(join(dir, 'pnpm-lock.yaml'))) return 'pnpm'
  if (existsSync(join(dir, 'yarn.lock'))) return 'yarn'
  return 'npm'
}

async function packageScripts(dir: string): Promise<Record<string, unknown> | null> {
  try {
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
      scripts?: unknown
    }
    return typeof manifest.scripts === 'object' && manifest.scripts !== null
      ? (manifest.scripts as Record<string, unknown>)
      : {}
  } catch {
    return null
  }
}

/**
 * The dev-server command of a project, as argv: its package.json `dev` script, else `start`, run
 * with the package manager its lockfile names; else a Cargo, Go or Django project's usual command.
 */
export async function detectDevCommand(dir: string): Promise<Result<DetectedCommand, ServerError>> {
  const scripts = await packageScripts(dir)
  if (scripts !== null) {
    const runner = packageRunner(dir)
    if (typeof scripts.dev === 'string')
      return ok({ argv: [runner, 'run', 'dev'], source: 'package.json scripts.dev' })
    if (typeof scripts.start === 'string')
      return ok({ argv: [runner, 'run', 'start'], source: 'package.json scripts.start' })
  }
  if (existsSync(join(dir, 'manage.py')))
    return ok({ argv: ['python', 'manage.py', 'runserver'], source: 'manage.py' })
  if (existsSync(join(dir, 'Cargo.toml')))
    return ok({ argv: ['cargo', 'run'], source: 'Cargo.toml' })
  if (existsSync(join(dir, 'go.mod'))) return ok({ argv: ['go', 'run', '.'], source: 'go.mod' })
  return err(
    'NO_COMMAND',
    'No dev-server command found: add a "dev" or "start" script to package.json, or configure the command.',
  )
}
