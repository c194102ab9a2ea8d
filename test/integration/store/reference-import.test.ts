import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'

import { ProjectStore } from '../../../src/store/index.js'
import { importReferenceProject } from '../../../src/store/reference-import.js'
import { tempDir } from '../../helpers/tmp.js'

const referenceSql = readFileSync(
  new URL('../../fixtures/store/python-reference.sql', import.meta.url),
  'utf8',
)

function writeReferenceDb(path: string, sql = referenceSql): void {
  const db = new Database(path)
  db.exec(sql)
  db.close()
}

function spec(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, `<project_specification>${text}</project_specification>`)
}

function importedSpec(project: string): string {
  return readFileSync(join(project, '.autocoder', 'prompts', 'app_spec.txt'), 'utf8')
}

describe('reference import: the app spec', () => {
  it.each([
    ['.autocoder/prompts/', ['.autocoder', 'prompts', 'app_spec.txt'], false],
    ['prompts/', ['prompts', 'app_spec.txt'], true],
    ['the project root', ['app_spec.txt'], true],
  ])('finds the spec in %s', (_where, parts, copied) => {
    using project = tempDir()
    writeReferenceDb(join(project.path, 'features.db'))
    spec(join(project.path, ...parts), 'the one')
    const report = importReferenceProject(project.path)
    if (!report.ok) throw new Error(report.error.message)
    expect(report.value.specCopied).toBe(copied)
    expect(importedSpec(project.path)).toContain('the one')
    expect(report.value.warnings.join('\n')).not.toContain('no app_spec.txt')
  })

  it.each([
    ['prompts/ over the root', ['prompts'], 'from prompts'],
    ['.autocoder/prompts/ over both', ['.autocoder', 'prompts'], 'from .autocoder'],
  ])('prefers %s, as the reference does', (_order, first, expected) => {
    using project = tempDir()
    writeReferenceDb(join(project.path, 'features.db'))
    spec(join(project.path, ...first, 'app_spec.txt'), expected)
    if (first.length === 2) spec(join(project.path, 'prompts', 'app_spec.txt'), 'from prompts')
    spec(join(project.path, 'app_spec.txt'), 'from the root')
    const report = importReferenceProject(project.path)
    if (!report.ok) throw new Error(report.error.message)
    expect(importedSpec(project.path)).toContain(expected)
  })

  it('warns, naming the places it looked, when there is no spec', () => {
    using project = tempDir()
    writeReferenceDb(join(project.path, 'features.db'))
    const report = importReferenceProject(project.path)
    if (!report.ok) throw new Error(report.error.message)
    expect(report.value.specCopied).toBe(false)
    expect(report.value.warnings).toContainEqual(
      expect.stringMatching(/no app_spec\.txt found \(looked in \.autocoder\/prompts\/, prompts\//),
    )
  })
})

describe('reference import: dependencies', () => {
  it('keeps every feature and warns, with the feature id, for dependencies it cannot take', () => {
    using project = tempDir()
    mkdirSync(join(project.path, '.autocoder'))
    writeReferenceDb(join(project.path, '.autocoder', 'features.db'))
    const report = importReferenceProject(project.path)
    if (!report.ok) throw new Error(report.error.message)
    expect(report.value.features).toBe(8)

    const warnings = report.value.warnings
    expect(warnings).toContainEqual(
      expect.stringMatching(/^feature 6: dependencies "2, 3" are not a JSON list of feature ids/),
    )
    expect(warnings).toContainEqual(
      expect.stringMatching(/^feature 7: dependencies "\{\\"after\\": 1\}" are not a JSON list/),
    )
    expect(warnings).toContainEqual(
      'feature 8: dependencies "two", 1.5 are not feature ids; dropped',
    )
    expect(warnings).toContainEqual('feature 8: depends on itself; that dependency dropped')
    expect(warnings.filter((w) => /^feature [1245]\b/.test(w))).toEqual([])

    using store = openStore(project.path)
    expect(store.features.list().map((f) => [f.id, f.state, f.dependencies])).toEqual([
      [1, 'passing', []],
      [2, 'pending', [1]],
      [3, 'pending', [1, 2, 42]],
      [4, 'needs_human', []],
      [5, 'pending', []],
      [6, 'pending', []],
      [7, 'pending', []],
      [8, 'pending', [1]],
    ])
  })

  it('warns for a feature_list.json entry whose dependencies are not a list', () => {
    using project = tempDir()
    writeFileSync(
      join(project.path, 'feature_list.json'),
      JSON.stringify([
        { name: 'one', passes: true },
        { name: 'two', dependencies: 'one' },
        { name: 'three', dependencies: [1, 2] },
      ]),
    )
    const report = importReferenceProject(project.path)
    if (!report.ok) throw new Error(report.error.message)
    expect(report.value.warnings).toContainEqual(
      expect.stringMatching(/^feature 2: dependencies "one" are not a JSON list of feature ids/),
    )
    using store = openStore(project.path)
    expect(store.features.list().map((f) => f.dependencies)).toEqual([[], [], [1, 2]])
  })

  it('keeps steps that are not a JSON list as one step, with a warning', () => {
    using project = tempDir()
    writeReferenceDb(
      join(project.path, 'features.db'),
      referenceSql.replace(`'["Search"]'`, `'search for it'`),
    )
    const report = importReferenceProject(project.path)
    if (!report.ok) throw new Error(report.error.message)
    expect(report.value.warnings).toContainEqual(
      'feature 6: steps "search for it" are not a JSON list; kept as one step',
    )
    using store = openStore(project.path)
    expect(store.features.get(6)?.steps).toEqual(['search for it'])
  })
})

function openStore(dir: string): ProjectStore {
  const store = ProjectStore.open(dir)
  if (!store.ok) throw new Error(store.error.message)
  return store.value
}
