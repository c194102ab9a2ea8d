// `autocoder demo --dir D` is crash safe and single-instance: a second demo on a running one is
// refused naming the holder; after `kill -9` the same command resumes the project and finishes it.
import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { readDemoSummary } from '../../src/demo/index.js'
import { ProjectStore } from '../../src/store/index.js'
import { runCliAsync } from '../helpers/cli.js'
import { killGroup, startDemo } from '../helpers/demo-process.js'
import { tempDir } from '../helpers/tmp.js'

describe('autocoder demo --dir on a running or killed demo', () => {
  it('refuses a second demo naming the holder, and after kill -9 the same command resumes and finishes', async () => {
    using dir = tempDir('autocoder-demo-')
    const projectDir = join(dir.path, 'sample')
    const env = {
      ANTHROPIC_API_KEY: '',
      ANTHROPIC_BASE_URL: '',
      AUTOCODER_HOME: join(dir.path, 'home'),
    }
    const args = ['--dir', projectDir, '--features', '4', '--model-latency', '0']
    const first = startDemo(args, env)
    try {
      await first.waitFor(/coding agent started/)
      const second = await runCliAsync(['demo', ...args], { env })
      expect(second.status).toBe(5)
      expect(second.stdout).not.toContain('features:')
      expect(second.stderr).toMatch(
        new RegExp(
          `autocoder: Another orchestrator \\(run-[a-z0-9]+, pid ${first.pid} on [^)]+\\) is running this project`,
        ),
      )

      await first.waitFor(/-> passing/)
      process.kill(first.pid, 'SIGKILL')
      expect(await first.exited).toBe(null)
    } finally {
      killGroup(first.pid)
    }
    const atKill = readDemoSummary(projectDir)
    if (!atKill.ok) throw new Error(atKill.error.message)
    expect(atKill.value.passing).toBeLessThan(4)

    const resumed = await runCliAsync(['demo', ...args], { env })
    expect(resumed.stderr).toBe('')
    expect(resumed.stdout).toContain(
      `Resuming the demo project in ${projectDir} (4 features on its board)`,
    )
    expect(resumed.stdout).toMatch(/^features: 4\/4 passing$/m)
    expect(resumed.status).toBe(0)

    const summary = readDemoSummary(projectDir)
    if (!summary.ok) throw new Error(summary.error.message)
    expect(summary.value.missing).toEqual([])
    // init.sh, package.json, src/index.mjs, test/all.mjs, test/skeleton.test.mjs, and two per helper
    expect(summary.value.files).toHaveLength(11)
    expect(readdirSync(join(projectDir, '.autocoder', 'worktrees'))).toEqual([])
    expect(
      execFileSync('git', ['branch', '--list', 'autocoder/*'], {
        cwd: projectDir,
        encoding: 'utf8',
      }),
    ).toBe('')
    const store = ProjectStore.open(projectDir)
    if (!store.ok) throw new Error(store.error.message)
    using _store = store.value
    expect(store.value.claims.list()).toEqual([])
    expect(store.value.features.list().every((feature) => feature.state === 'passing')).toBe(true)
  }, 180_000)
})
