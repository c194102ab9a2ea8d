// `autocoder demo` from the command line: offline, end to end, real files and a passing board.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { runCliAsync } from '../../helpers/cli.js'
import { tempDir } from '../../helpers/tmp.js'

describe('autocoder demo', () => {
  it('builds the sample project with every feature passing and its files written', async () => {
    using dir = tempDir('autocoder-demo-')
    const projectDir = join(dir.path, 'sample')
    const env = { ANTHROPIC_API_KEY: '', ANTHROPIC_BASE_URL: '', AUTOCODER_HOME: join(dir.path, 'home') }
    const result = await runCliAsync(['demo', '--dir', projectDir, '--features', '3', '--concurrency', '2'], { env })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('features: 3/3 passing')
    expect(result.stdout).toMatch(/→ Bash sudo npm install -g textkit\n.*refused: sudo is blocked/)
    expect(result.stdout).toMatch(/cost: \$\d+\.\d{4}/)
    for (const file of ['init.sh', 'package.json', 'src/slugify.mjs', 'test/slugify.test.mjs', 'src/capitalize.mjs']) {
      expect(existsSync(join(projectDir, file)), file).toBe(true)
    }
    expect(readFileSync(join(projectDir, 'src', 'slugify.mjs'), 'utf8')).toContain('export function slugify')
  }, 120_000)

  it('refuses a folder that is not empty', async () => {
    using dir = tempDir('autocoder-demo-')
    writeFileSync(join(dir.path, 'keep.txt'), 'mine')
    const result = await runCliAsync(['demo', '--dir', dir.path], {})
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('is not empty')
  })
})
