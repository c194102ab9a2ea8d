// Secrets at rest: AUTOCODER_HOME (the registry holds the API key, the server token lives there)
// and a project's .autocoder/ are only for their owner, new or found too wide.
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { unwrap } from '../../../src/core/index.js'
import {
  describeServerToken,
  loadServerToken,
  ProjectStore,
  Registry,
} from '../../../src/store/index.js'
import { tempDir } from '../../helpers/tmp.js'

const modeOf = (path: string): number => statSync(path).mode & 0o777

describe('AUTOCODER_HOME', () => {
  it('is created 0700 with registry.db and its -wal and -shm 0600', () => {
    using dir = tempDir()
    const home = join(dir.path, 'new-home')
    const reports: string[] = []
    const registry = unwrap(Registry.open(home, undefined, (line) => reports.push(line)))
    registry.settings.set('anthropic_api_key', 'sk-ant-test-secret')
    try {
      expect(modeOf(home)).toBe(0o700)
      for (const file of ['registry.db', 'registry.db-wal', 'registry.db-shm'])
        expect(modeOf(join(home, file)), file).toBe(0o600)
      expect(reports).toEqual([])
    } finally {
      registry.close()
    }
  })

  it('is tightened at open when found readable by others, and says so in one line', () => {
    using dir = tempDir()
    const home = join(dir.path, 'old-home')
    unwrap(loadServerToken(home))
    unwrap(Registry.open(home)).close()
    chmodSync(home, 0o755)
    chmodSync(join(home, 'registry.db'), 0o644)
    writeFileSync(join(home, 'registry.db-wal'), '', { mode: 0o644 })
    chmodSync(join(home, 'registry.db-wal'), 0o644)
    chmodSync(join(home, 'server-token'), 0o640)
    writeFileSync(join(home, 'config.yaml'), 'commands: []\n', { mode: 0o664 })
    chmodSync(join(home, 'config.yaml'), 0o664)
    const reports: string[] = []
    unwrap(Registry.open(home, undefined, (line) => reports.push(line))).close()
    expect(modeOf(home)).toBe(0o700)
    // (the -wal is gone: SQLite removes it at the last close)
    for (const file of ['registry.db', 'server-token', 'config.yaml'])
      expect(modeOf(join(home, file)), file).toBe(0o600)
    expect(reports).toEqual([
      [
        `${home} was readable by others (0755); now 0700.`,
        `${join(home, 'config.yaml')} was readable by others (0664); now 0600.`,
        `${join(home, 'registry.db')} was readable by others (0644); now 0600.`,
        `${join(home, 'registry.db-wal')} was readable by others (0644); now 0600.`,
        `${join(home, 'server-token')} was readable by others (0640); now 0600.`,
      ].join(' '),
    ])
    const again: string[] = []
    unwrap(Registry.open(home, undefined, (line) => again.push(line))).close()
    unwrap(loadServerToken(home, (line) => again.push(line)))
    expect(again).toEqual([])
  })
})

describe('server token file', () => {
  it('is created once (0600, 256 bits) and read back unchanged afterwards', () => {
    using dir = tempDir()
    const home = join(dir.path, 'home')
    const first = unwrap(loadServerToken(home))
    expect(first.created).toBe(true)
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(modeOf(first.path)).toBe(0o600)
    expect(modeOf(home)).toBe(0o700)
    const second = unwrap(loadServerToken(home))
    expect(second).toEqual({ ...first, created: false })
  })

  it('is described (where, whether private) without being read or changed', () => {
    using dir = tempDir()
    const home = join(dir.path, 'home')
    expect(describeServerToken(home)).toMatchObject({
      path: join(home, 'server-token'),
      exists: false,
    })
    unwrap(loadServerToken(home))
    expect(describeServerToken(home)).toMatchObject({ exists: true, private: true })
    chmodSync(join(home, 'server-token'), 0o644)
    expect(describeServerToken(home)).toMatchObject({ exists: true, private: false })
    expect(modeOf(join(home, 'server-token'))).toBe(0o644)
  })

  it('is tightened when found readable by others', () => {
    using dir = tempDir()
    const home = join(dir.path, 'home')
    mkdirSync(home, { mode: 0o700 })
    writeFileSync(join(home, 'server-token'), `${'a'.repeat(50)}\n`)
    chmodSync(join(home, 'server-token'), 0o644)
    const reports: string[] = []
    expect(unwrap(loadServerToken(home, (line) => reports.push(line))).token).toBe('a'.repeat(50))
    expect(modeOf(join(home, 'server-token'))).toBe(0o600)
    expect(reports).toEqual([
      `${join(home, 'server-token')} was readable by others (0644); now 0600.`,
    ])
  })
})

describe("a project's .autocoder/", () => {
  it('is 0700 with the project database files 0600, also when created 0755 by other code first', () => {
    using dir = tempDir()
    const project = join(dir.path, 'app')
    mkdirSync(join(project, '.autocoder', 'prompts'), { recursive: true, mode: 0o755 })
    chmodSync(join(project, '.autocoder'), 0o755)
    const store = unwrap(ProjectStore.open(project))
    try {
      store.features.create(
        [{ category: 'a', name: 'one', description: '', steps: [], dependencies: [] }],
        { by: 'test' },
      )
      expect(modeOf(join(project, '.autocoder'))).toBe(0o700)
      for (const file of ['autocoder.db', 'autocoder.db-wal', 'autocoder.db-shm'])
        expect(modeOf(join(project, '.autocoder', file)), file).toBe(0o600)
    } finally {
      store.close()
    }
  })

  it('has an existing database readable by others tightened at open', () => {
    using dir = tempDir()
    const project = join(dir.path, 'app')
    unwrap(ProjectStore.open(project)).close()
    chmodSync(join(project, '.autocoder', 'autocoder.db'), 0o664)
    unwrap(ProjectStore.open(project)).close()
    expect(modeOf(join(project, '.autocoder', 'autocoder.db'))).toBe(0o600)
  })
})
