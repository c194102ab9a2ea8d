import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { loadScenarioDir, loadScenarioFile } from '../../../src/scripted-model/load-scenario.js'
import { tempDir } from '../../helpers/tmp.js'

describe('loadScenarioDir', () => {
  it('reads YAML and JSON scenario files in name order', async () => {
    using dir = tempDir()
    writeFileSync(
      join(dir.path, 'b.json'),
      JSON.stringify({ name: 'second', turns: [{ text: 'hi' }] }),
    )
    writeFileSync(join(dir.path, 'a.yaml'), 'name: first\nturns:\n  - text: hello\n')
    writeFileSync(join(dir.path, 'notes.txt'), 'ignored')
    const loaded = await loadScenarioDir(dir.path)
    expect(loaded.ok && loaded.value.map((scenario) => scenario.name)).toEqual(['first', 'second'])
  })

  it('refuses two files that define the same scenario name', async () => {
    using dir = tempDir()
    writeFileSync(join(dir.path, 'a.yaml'), 'name: same\nturns: [{ text: a }]\n')
    writeFileSync(join(dir.path, 'b.yaml'), 'name: same\nturns: [{ text: b }]\n')
    const loaded = await loadScenarioDir(dir.path)
    expect(!loaded.ok && loaded.error).toMatchObject({
      code: 'SCENARIO_INVALID',
      message: expect.stringContaining('already defines scenario "same"'),
    })
  })

  it('reports a file that is not valid YAML with its path', async () => {
    using dir = tempDir()
    const path = join(dir.path, 'broken.yaml')
    writeFileSync(path, 'name: [unclosed\n')
    const loaded = await loadScenarioFile(path)
    expect(!loaded.ok && loaded.error).toMatchObject({
      code: 'SCENARIO_UNREADABLE',
      message: expect.stringContaining(path),
    })
  })
})
