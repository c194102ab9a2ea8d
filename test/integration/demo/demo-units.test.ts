// The demo catalog's helpers are real: written to a folder, every one passes its own test (run by
// the skeleton's runner, as the merge check runs them), and an unfinished one fails it.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { demoCatalog, MAX_DEMO_FEATURES } from '../../../src/demo/index.js'
import type { DemoFeature } from '../../../src/demo/index.js'
import { tempDir } from '../../helpers/tmp.js'

function writeBoard(dir: string, board: readonly DemoFeature[]): void {
  for (const feature of board) {
    for (const [path, content] of Object.entries(feature.files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), content)
    }
  }
}

function runTests(dir: string, args: string[]) {
  const result = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' })
  const count = (what: string): number =>
    Number(new RegExp(`^# ${what} (\\d+)$`, 'm').exec(result.stdout)?.[1])
  return { status: result.status, pass: count('pass'), fail: count('fail'), output: result.stdout }
}

describe('demo catalog helpers', () => {
  it.each([1, 2])('pass their own tests (seed %i), all in one run of the project check', (seed) => {
    using dir = tempDir('autocoder-demo-units-')
    writeBoard(dir.path, demoCatalog(seed))
    const result = runTests(dir.path, ['test/all.mjs'])
    expect(result.fail, result.output.slice(-2000)).toBe(0)
    expect(result.pass).toBe(MAX_DEMO_FEATURES)
    expect(result.status).toBe(0)
  })

  it('fail the test when written unfinished, and pass it once fixed', () => {
    using dir = tempDir('autocoder-demo-units-')
    const catalog = demoCatalog(1)
    const feature = catalog.find((entry) => entry.dependsOn.length === 2)!
    const needed = new Set<number>([0])
    const visit = (index: number): void => {
      needed.add(index)
      catalog[index]!.dependsOn.forEach(visit)
    }
    visit(catalog.indexOf(feature))
    writeBoard(
      dir.path,
      [...needed].map((index) => catalog[index]!),
    )
    writeFileSync(join(dir.path, feature.module!.path), feature.module!.unfinished)
    const broken = runTests(dir.path, ['--test', `test/${feature.name}.test.mjs`])
    expect(broken.status).not.toBe(0)
    expect(broken.output).toContain('not implemented yet')
    writeFileSync(join(dir.path, feature.module!.path), feature.files[feature.module!.path]!)
    expect(runTests(dir.path, ['--test', `test/${feature.name}.test.mjs`]).status).toBe(0)
  })
})
