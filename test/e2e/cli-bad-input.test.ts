/**
 * Bad input to the CLI: each case prints a one-line error that says what to do, exits non-zero,
 * and leaves the database exactly as it was.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import Database from 'better-sqlite3'
import { beforeEach, describe, expect, it } from 'vitest'

import { ProjectStore, projectDatabasePath } from '../../src/store/index.js'
import { runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'

let project: { path: string } & Disposable
let home: { path: string } & Disposable

function boardSnapshot(): string {
  const store = ProjectStore.open(project.path)
  if (!store.ok) throw new Error(store.error.message)
  const snapshot = JSON.stringify({
    features: store.value.features.list(),
    claims: store.value.claims.list(),
  })
  store.value.close()
  return snapshot
}

function expectCleanFailure(args: string[]): string {
  const before = boardSnapshot()
  const result = runCli(args, { env: { AUTOCODER_HOME: home.path } })
  expect(result.status, result.stdout + result.stderr).not.toBe(0)
  const lines = result.stderr.trim().split('\n')
  expect(lines, result.stderr).toHaveLength(1)
  expect(lines[0]).toMatch(/^autocoder: /)
  expect(boardSnapshot()).toBe(before)
  return lines[0]!
}

beforeEach(() => {
  project = tempDir()
  home = tempDir()
  const store = ProjectStore.open(project.path)
  if (!store.ok) throw new Error(store.error.message)
  store.value.features.create(
    Array.from({ length: 22 }, (_, i) => ({
      category: 'c',
      name: `f${i + 1}`,
      description: '',
      steps: [],
      dependencies: [],
    })),
    { by: 'test' },
  )
  store.value.close()
  return () => {
    project[Symbol.dispose]()
    home[Symbol.dispose]()
  }
})

describe('CLI bad input', () => {
  it('refuses a malformed JSON import file', () => {
    const file = join(project.path, 'bad.json')
    writeFileSync(file, '{"features": [')
    expect(expectCleanFailure(['features', 'import', '-p', project.path, file])).toMatch(
      /not valid JSON/,
    )
  })

  it('refuses an import file whose second item is invalid, importing nothing', () => {
    const file = join(project.path, 'partly.json')
    writeFileSync(
      file,
      JSON.stringify({
        features: [
          { category: 'c', name: 'ok' },
          { category: 'c', name: 'bad', dependencies: [999] },
        ],
      }),
    )
    expect(expectCleanFailure(['features', 'import', '-p', project.path, file])).toMatch(
      /unknown feature id\(s\) 999/,
    )
  })

  it('refuses unknown feature ids', () => {
    expect(expectCleanFailure(['features', 'show', '-p', project.path, '99'])).toMatch(
      /Feature 99 does not exist/,
    )
    expect(
      expectCleanFailure(['features', 'deps', '-p', project.path, '1', '--add', '99']),
    ).toMatch(/unknown feature id/)
  })

  it('refuses 21 dependencies', () => {
    const ids = Array.from({ length: 21 }, (_, i) => i + 2).join(',')
    expect(expectCleanFailure(['features', 'deps', '-p', project.path, '1', '--set', ids])).toMatch(
      /21 dependencies; the maximum is 20/,
    )
  })

  it('refuses a self-dependency and a cycle', () => {
    expect(expectCleanFailure(['features', 'deps', '-p', project.path, '3', '--add', '3'])).toMatch(
      /cannot depend on itself/,
    )
    expect(runCli(['features', 'deps', '-p', project.path, '2', '--add', '1']).status).toBe(0)
    expect(expectCleanFailure(['features', 'deps', '-p', project.path, '1', '--add', '2'])).toMatch(
      /closes the cycle 1 -> 2 -> 1/,
    )
  })

  it('refuses malformed ids and flags', () => {
    expect(expectCleanFailure(['features', 'show', '-p', project.path, 'abc'])).toMatch(
      /not a valid feature id/,
    )
    expect(expectCleanFailure(['features', 'list', '-p', project.path, '--state', 'done'])).toMatch(
      /Unknown state "done"/,
    )
  })

  it('refuses bad demo flags before making the demo folder', () => {
    const dir = join(home.path, 'demo')
    const cases: Array<[string[], RegExp]> = [
      [['--features', '201'], /--features must be a whole number from 1 to 200, not "201"/],
      [['--features', '0'], /--features must be a whole number from 1 to 200, not "0"/],
      [['--seed', 'abc'], /--seed must be a whole number from 0 to 4294967295, not "abc"/],
      [['--model-latency', '-5'], /--model-latency must be a whole number from 0 to 60000/],
      [
        ['--scenario', 'chaos'],
        /--scenario must be one of standard, needs-human, .*, all, not "chaos"/,
      ],
      [
        ['--scenario', 'merge-conflict'],
        /--scenario merge-conflict needs --concurrency 2 or more: two agents must work at the same time/,
      ],
      [
        ['--scenario', 'all', '--concurrency', '2', '--features', '3'],
        /needs --features 4 or more/,
      ],
    ]
    for (const [flags, message] of cases) {
      expect(expectCleanFailure(['demo', '--dir', dir, ...flags])).toMatch(message)
      expect(existsSync(dir), flags.join(' ')).toBe(false)
    }
  }, 120_000)

  it('refuses a file that is not a database, leaving it untouched', () => {
    const other = tempDir()
    const dbPath = projectDatabasePath(other.path)
    mkdirSync(join(other.path, '.autocoder'), { recursive: true })
    writeFileSync(dbPath, 'these are my notes, not a database\n'.repeat(10))
    const hash = createHash('sha256').update(readFileSync(dbPath)).digest('hex')
    const result = runCli(['features', 'list', '-p', other.path])
    expect(result.status).not.toBe(0)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(/is not a SQLite database.*move the file away/)
    expect(createHash('sha256').update(readFileSync(dbPath)).digest('hex')).toBe(hash)
    other[Symbol.dispose]()
  })

  it('refuses a database from a newer autocoder, leaving it untouched', () => {
    const db = new Database(projectDatabasePath(project.path))
    db.pragma('user_version = 999')
    db.close()
    const before = readFileSync(projectDatabasePath(project.path))
    const result = runCli(['features', 'list', '-p', project.path])
    expect(result.status).not.toBe(0)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(
      /schema version 999, newer than this autocoder understands.*upgrade autocoder/,
    )
    expect(readFileSync(projectDatabasePath(project.path)).equals(before)).toBe(true)
  })

  it('plans a features file without touching any database', () => {
    const file = join(project.path, 'plan.json')
    writeFileSync(
      file,
      JSON.stringify({
        features: [
          {
            id: 1,
            priority: 1,
            category: 'a',
            name: 'a',
            passes: true,
            in_progress: false,
            dependencies: [],
          },
          {
            id: 2,
            priority: 2,
            category: 'a',
            name: 'b',
            passes: false,
            in_progress: false,
            dependencies: [1],
          },
          {
            id: 3,
            priority: 3,
            category: 'a',
            name: 'c',
            passes: false,
            in_progress: false,
            dependencies: [4],
          },
          {
            id: 4,
            priority: 4,
            category: 'a',
            name: 'd',
            passes: false,
            in_progress: false,
            dependencies: [3],
          },
        ],
      }),
    )
    const result = runCli(['plan', '--json', '--features', file], { cwd: home.path })
    expect(result.status).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ ready: [2], blocked: [3, 4], cycles: [[3, 4]] })
    expect(
      expectCleanFailure(['plan', '--json', '--features', join(project.path, 'missing.json')]),
    ).toMatch(/Cannot read/)
  })
})
