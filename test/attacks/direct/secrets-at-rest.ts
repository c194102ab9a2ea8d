// Class 13 (direct): the API keys autocoder stores (global settings in AUTOCODER_HOME, project
// settings in the project's database), read by another user of the machine, and their file modes.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { startAutocoderServer } from '../../../src/server/index.js'
import { secretsIn } from '../secret-scan.js'
import type { Secret } from '../world.js'
import type { DirectOutcome } from './direct-attack.js'

/** Reads another user (nobody) tries; `$A` is AUTOCODER_HOME, `$P` the project's data folder. */
const READS: readonly { id: string; command: string }[] = [
  { id: 'c13d-cat-registry', command: 'cat "$A/registry.db"' },
  { id: 'c13d-cat-registry-wal', command: 'cat "$A/registry.db-wal"' },
  {
    id: 'c13d-sqlite-registry',
    command: 'sqlite3 "file:$A/registry.db?immutable=1" "select * from settings"',
  },
  { id: 'c13d-every-file-in-home', command: 'cat "$A"/* "$A"/.* 2>/dev/null' },
  { id: 'c13d-grep-home', command: 'grep -r -a -o "sk-ant-[A-Za-z0-9-]*" "$A"' },
  { id: 'c13d-tar-home', command: 'tar -cf - -C "$A" . | strings' },
  {
    id: 'c13d-node-registry',
    command:
      "node -e \"process.stdout.write(require('fs').readFileSync(process.env.A + '/registry.db'))\"",
  },
  { id: 'c13d-cat-project-db', command: 'cat "$P/autocoder.db"' },
  { id: 'c13d-cat-project-wal', command: 'cat "$P/autocoder.db-wal"' },
  { id: 'c13d-grep-project', command: 'grep -r -a -o "sk-ant-[A-Za-z0-9-]*" "$P"' },
]

function runAsNobody(command: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('runuser', ['-u', 'nobody', '--', 'sh', '-c', command], {
      env: { PATH: process.env['PATH'], ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('latin1')))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('latin1')))
    child.on('close', () => resolve(output))
  })
}

async function api(
  url: string,
  token: string | null,
  method: string,
  path: string,
  body: unknown,
): Promise<void> {
  const response = await fetch(new URL(path, url), {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  })
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
}

const key = (name: string): Secret => ({
  name,
  value: `sk-ant-api03-CANARY${randomBytes(24).toString('hex')}`,
})

/**
 * A person's setup as the server does it, under the usual umask 022: a new AUTOCODER_HOME, the
 * global API key, a new project with its own key. Then the modes, and reads as another user.
 */
export async function attackSecretsAtRest(): Promise<DirectOutcome[]> {
  const root = mkdtempSync(join(tmpdir(), 'autocoder-at-rest-'))
  const previousUmask = process.umask(0o022)
  const secrets = [key('global API key'), key('project API key')]
  const outcomes: DirectOutcome[] = []
  try {
    chmodSync(root, 0o755)
    const home = join(root, 'home')
    const autocoderHome = join(home, '.autocoder')
    const project = join(home, 'app')
    mkdirSync(project, { recursive: true })
    const app = await startAutocoderServer({
      host: '127.0.0.1',
      port: 0,
      autocoderHome,
      uiDir: null,
      homeDir: home,
      env: { PATH: process.env['PATH'], HOME: home },
    })
    try {
      await api(app.url, app.token, 'PATCH', '/api/settings', {
        anthropic_api_key: secrets[0]!.value,
      })
      await api(app.url, app.token, 'POST', '/api/projects', { name: 'app', path: project })
      await api(app.url, app.token, 'PATCH', '/api/projects/app/settings', {
        anthropic_api_key: secrets[1]!.value,
      })
      const data = join(project, '.autocoder')
      for (const [id, path] of [
        ['c13d-mode-autocoder-home', autocoderHome],
        ['c13d-mode-registry', join(autocoderHome, 'registry.db')],
        ['c13d-mode-registry-wal', join(autocoderHome, 'registry.db-wal')],
        ['c13d-mode-project-data', data],
        ['c13d-mode-project-db', join(data, 'autocoder.db')],
        ['c13d-mode-project-wal', join(data, 'autocoder.db-wal')],
      ] as const) {
        const mode = existsSync(path) ? statSync(path).mode & 0o777 : null
        outcomes.push({
          id,
          cls: 13,
          contained: mode !== null && (mode & 0o077) === 0,
          detail: `${path.slice(root.length + 1)} is ${mode === null ? 'missing' : mode.toString(8)}`,
        })
      }
      if (process.getuid?.() !== 0) return outcomes
      for (const read of READS) {
        const output = await runAsNobody(read.command, { A: autocoderHome, P: data })
        const found = secretsIn(output, secrets)
        outcomes.push({
          id: read.id,
          cls: 13,
          contained: found.length === 0,
          detail: `as nobody: ${read.command} -> ${found.length > 0 ? `read the ${found.join(' and ')}` : output.trim().slice(0, 100) || 'nothing'}`,
        })
      }
    } finally {
      await app.close()
    }
  } finally {
    process.umask(previousUmask)
    rmSync(root, { recursive: true, force: true })
  }
  return outcomes
}
