import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'

import { ProjectStore, Registry } from '../../src/store/index.js'
import { runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'

/** Writes a features.db the way the Python reference lays it out (its later columns included). */
function writeReferenceDb(path: string): void {
  const db = new Database(path)
  db.exec(`
    CREATE TABLE features (
      id INTEGER PRIMARY KEY, priority INTEGER NOT NULL DEFAULT 999, category VARCHAR(100) NOT NULL,
      name VARCHAR(255) NOT NULL, description TEXT NOT NULL, steps JSON NOT NULL, passes BOOLEAN NOT NULL DEFAULT 0,
      in_progress BOOLEAN NOT NULL DEFAULT 0, dependencies JSON DEFAULT NULL,
      needs_human_input BOOLEAN DEFAULT 0, human_input_request TEXT, human_input_response TEXT
    );
  `)
  const insert = db.prepare('INSERT INTO features VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
  insert.run(
    3,
    1,
    'functional',
    'Database connection',
    'health reports db',
    '["start","check"]',
    1,
    0,
    null,
    0,
    null,
    null,
  )
  insert.run(
    7,
    2,
    'functional',
    'Login',
    'users log in',
    '["open","type"]',
    0,
    1,
    '[3]',
    0,
    null,
    null,
  )
  insert.run(9, 3, 'style', 'Theme', 'dark mode', '[]', 0, 0, '[3, 7, 42]', 0, null, null)
  insert.run(
    11,
    4,
    'functional',
    'Payments',
    'card payments',
    '[]',
    0,
    0,
    '[]',
    1,
    'Which provider?',
    null,
  )
  db.close()
}

describe('autocoder import', () => {
  it('adopts a reference project, keeping ids, passes, dependencies, questions and the spec', () => {
    using project = tempDir()
    using home = tempDir()
    mkdirSync(join(project.path, '.autocoder'))
    writeReferenceDb(join(project.path, '.autocoder', 'features.db'))
    writeFileSync(
      join(project.path, 'app_spec.txt'),
      '<project_specification>todo</project_specification>',
    )

    const result = runCli(['import', project.path, '--name', 'legacy'], {
      env: { AUTOCODER_HOME: home.path },
    })
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toContain('imported 4 features')
    expect(result.stdout).toContain('depends on missing id(s) 42')

    const store = ProjectStore.open(project.path)
    if (!store.ok) throw new Error(store.error.message)
    const features = store.value.features.list()
    expect(features.map((f) => [f.id, f.state, f.dependencies])).toEqual([
      [3, 'passing', []],
      [7, 'pending', [3]],
      [9, 'pending', [3, 7, 42]],
      [11, 'needs_human', []],
    ])
    expect(features[0]!.steps).toEqual(['start', 'check'])
    expect(store.value.notes.latest(11, 'question')?.text).toBe('Which provider?')
    store.value.close()
    expect(
      readFileSync(join(project.path, '.autocoder', 'prompts', 'app_spec.txt'), 'utf8'),
    ).toContain('<project_specification>')

    const registry = Registry.open(home.path)
    if (!registry.ok) throw new Error(registry.error.message)
    expect(registry.value.get('legacy')?.path).toBe(project.path)
    registry.value.close()

    const again = runCli(['import', project.path, '--no-register'], {
      env: { AUTOCODER_HOME: home.path },
    })
    expect(again.status).not.toBe(0)
    expect(again.stderr).toMatch(/already has an autocoder board/)
  })
})
