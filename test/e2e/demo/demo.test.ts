// `autocoder demo` from the command line: offline, end to end through the orchestrator (real
// claude binary, scripted model API in the CLI's process, git worktrees, merge queue, npm test).
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { demoCatalog } from '../../../src/demo/index.js'
import { ProjectStore } from '../../../src/store/index.js'
import { runCliAsync } from '../../helpers/cli.js'
import { tempDir } from '../../helpers/tmp.js'

describe('autocoder demo', () => {
  it('builds the sample project with parallel agents in worktrees: every feature merged, checked and passing, its files written', async () => {
    using dir = tempDir('autocoder-demo-')
    const projectDir = join(dir.path, 'sample')
    const env = {
      ANTHROPIC_API_KEY: '',
      ANTHROPIC_BASE_URL: '',
      AUTOCODER_HOME: join(dir.path, 'home'),
    }
    const result = await runCliAsync(
      [
        'demo',
        '--dir',
        projectDir,
        '--features',
        '3',
        '--concurrency',
        '2',
        '--model-latency',
        '0',
      ],
      { env },
    )
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/^features: 3\/3 passing$/m)
    expect(result.stdout).toMatch(/\] initializer agent started/)
    expect(result.stdout).toMatch(/\] refused: sudo npm install -g utilkit \(sudo is blocked/)
    expect(result.stdout).toMatch(/\] merged #1 as [0-9a-f]{10}/)
    expect(result.stdout).toMatch(/cost: \$\d+\.\d{4}/)
    // The standard scenario has the model answer every request: no 429 or 529.
    expect(result.stdout).toMatch(/^model: [1-9]\d* replies$/m)
    // Coders start from the initializer's merged scaffold (init.sh), so nothing conflicts.
    expect(result.stdout.indexOf('coding agent started')).toBeGreaterThan(
      result.stdout.search(/\[i1-\w+\] done:/),
    )
    expect(result.stdout).not.toContain('merge conflict')
    const [, first, second] = demoCatalog()
    for (const file of [
      'init.sh',
      'package.json',
      'test/all.mjs',
      ...Object.keys(first!.files),
      ...Object.keys(second!.files),
    ]) {
      expect(existsSync(join(projectDir, file)), file).toBe(true)
    }
    expect(readFileSync(join(projectDir, 'src', `${first!.name}.mjs`), 'utf8')).toContain(
      `export function ${first!.name}(`,
    )

    // Each agent worked on its own branch in its own worktree; all of them were merged and removed.
    const git = (...args: string[]): string =>
      execFileSync('git', args, { cwd: projectDir, encoding: 'utf8' })
    expect(git('log', '--merges', '--format=%s')).toMatch(/Implement #1 Project skeleton/)
    expect(git('branch', '--list', 'autocoder/*')).toBe('')
    expect(readdirSync(join(projectDir, '.autocoder', 'worktrees'))).toEqual([])
    const store = ProjectStore.open(projectDir)
    if (!store.ok) throw new Error(store.error.message)
    using _store = store.value
    expect(store.value.notes.latest(2, 'evidence')?.text).toMatch(
      /Verified: merged in [0-9a-f]{40} .*check passed\.[\s\S]*node test\/all\.mjs/,
    )
  }, 120_000)

  it('refuses a folder that is neither empty nor a demo project', async () => {
    using dir = tempDir('autocoder-demo-')
    writeFileSync(join(dir.path, 'keep.txt'), 'mine')
    const result = await runCliAsync(['demo', '--dir', dir.path], {})
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('is not empty and is not a demo project')
    expect(readdirSync(dir.path)).toEqual(['keep.txt'])
  })
})
