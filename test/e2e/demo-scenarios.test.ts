// `autocoder demo --scenario NAME` reaches the case it names, end to end (real claude binary,
// scripted model without latency, git worktrees, merge queue, npm test), and then finishes.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { demoCatalog } from '../../src/demo/index.js'
import { ProjectStore } from '../../src/store/index.js'
import { runCli, runCliAsync } from '../helpers/cli.js'
import { killGroup, startDemo } from '../helpers/demo-process.js'
import { tempDir } from '../helpers/tmp.js'

const catalog = demoCatalog()
const envOf = (dir: string) => ({
  ANTHROPIC_API_KEY: '',
  ANTHROPIC_BASE_URL: '',
  AUTOCODER_HOME: join(dir, 'home'),
})
const demoArgs = (projectDir: string, ...more: string[]) => [
  'demo',
  '--dir',
  projectDir,
  '--model-latency',
  '0',
  ...more,
]

function evidence(projectDir: string, featureId: number): string {
  const opened = ProjectStore.open(projectDir)
  if (!opened.ok) throw new Error(opened.error.message)
  using store = opened.value
  return store.notes
    .list(featureId, ['evidence'])
    .map((note) => note.text)
    .join('\n')
}

/** Lines from the first match of `first` on, so later expectations follow it. */
const after = (text: string, first: RegExp): string => text.slice(text.search(first))

describe('autocoder demo --scenario', () => {
  it('needs-human: an agent asks, the demo waits, and after `autocoder answer` the feature is built', async () => {
    using dir = tempDir('autocoder-demo-')
    const projectDir = join(dir.path, 'sample')
    const [, asked] = catalog
    const demo = startDemo(
      demoArgs(projectDir, '--features', '3', '--scenario', 'needs-human').slice(1),
      envOf(dir.path),
    )
    try {
      await demo.waitFor(/#2 waits for a person: ".*"\n/, 150_000)
      expect(demo.output()).toContain(
        `#2 waits for a person: "${asked!.name}: should it throw a TypeError for input of the wrong type, or return such input unchanged?"`,
      )
      await demo.waitFor(/#3 in_progress -> passing/, 150_000)
      const answered = runCli(['answer', '--project', projectDir, '2', 'Throw a TypeError'], {
        env: envOf(dir.path),
      })
      expect(answered.status, answered.stderr).toBe(0)
      expect(await demo.exited).toBe(0)
    } finally {
      killGroup(demo.pid)
    }
    // The answer came from another process; the run took the feature up again and built it.
    const output = after(demo.output(), /#3 in_progress -> passing/)
    expect(output).toMatch(
      /coding agent started on #2\n[\s\S]*#2 in_progress -> passing \(merged\)/,
    )
    expect(output).toMatch(/^features: 3\/3 passing$/m)
    expect(evidence(projectDir, 2)).toContain('As the person answered: Throw a TypeError.')
  }, 300_000)

  it('merge-conflict: two agents change src/index.mjs, the second merge conflicts and is redone', async () => {
    using dir = tempDir('autocoder-demo-')
    const projectDir = join(dir.path, 'sample')
    const result = await runCliAsync(
      demoArgs(projectDir, '--features', '3', '--concurrency', '2', '--scenario', 'merge-conflict'),
      { env: envOf(dir.path) },
    )
    expect(result.stderr).toBe('')
    expect(result.status, result.stdout).toBe(0)
    const output = after(result.stdout, /merge conflict in src\/index\.mjs; #\d will be redone/)
    const redone = /#(\d) will be redone/.exec(output)![1]
    expect(output).toMatch(
      new RegExp(
        `#${redone} in_progress -> pending \\(merge conflict\\)[\\s\\S]*#${redone} in_progress -> passing \\(merged\\)`,
      ),
    )
    expect(result.stdout).toMatch(/^features: 3\/3 passing$/m)
    const entry = readFileSync(join(projectDir, 'src', 'index.mjs'), 'utf8')
    for (const helper of catalog.slice(1, 3))
      expect(entry).toContain(`export { ${helper.name} } from './${helper.name}.mjs'`)
    expect(evidence(projectDir, Number(redone))).toContain('conflicts with the project branch')
  }, 300_000)

  it('failing-check: a pass reported without the test fails the merge check, then the next agent fixes it', async () => {
    using dir = tempDir('autocoder-demo-')
    const projectDir = join(dir.path, 'sample')
    const result = await runCliAsync(
      demoArgs(projectDir, '--features', '2', '--scenario', 'failing-check'),
      { env: envOf(dir.path) },
    )
    expect(result.stderr).toBe('')
    expect(result.status, result.stdout).toBe(0)
    const output = after(result.stdout, /\] check failed for #2/)
    expect(output).toMatch(
      /#2 in_progress -> failing \(merge check_failed\)[\s\S]*#2 in_progress -> passing \(merged\)/,
    )
    const notes = evidence(projectDir, 2)
    expect(notes).toContain('not implemented yet')
    expect(notes).toContain('Fixed after the failed check')
  }, 300_000)

  it('rate-limit: the API answers 429 twice, the agent pauses and then finishes the feature', async () => {
    using dir = tempDir('autocoder-demo-')
    const projectDir = join(dir.path, 'sample')
    const result = await runCliAsync(
      demoArgs(projectDir, '--features', '2', '--scenario', 'rate-limit'),
      { env: envOf(dir.path) },
    )
    expect(result.stderr).toBe('')
    expect(result.status, result.stdout).toBe(0)
    // The scripted API answered 429 twice (counted where it answered). Claude Code retries and
    // reports each wait it makes; how long it waits and whether it reports a retry is its own
    // (jitter, time budgets), so the lines are checked for the agent and the pause, not the figure.
    expect(result.stdout).toMatch(/^model: \d+ replies, 2 answered 429 \(rate limited\)$/m)
    const limited = /\[(c\d+-\w+)\] rate limited; retrying in \d+ s/.exec(result.stdout)
    expect(limited, result.stdout).not.toBeNull()
    const agent = limited![1]!
    const output = after(result.stdout, /rate limited; retrying in \d+ s/)
    const waits = output.match(/\] rate limited; retrying in \d+ s/g) ?? []
    expect(waits.length, result.stdout).toBeGreaterThanOrEqual(1)
    expect(waits.length, result.stdout).toBeLessThanOrEqual(2)
    expect(output.match(new RegExp(`\\[${agent}\\] rate limited`, 'g'))).toHaveLength(waits.length)
    expect(output).toContain(`[${agent}] feature_mark_passing`)
    expect(output).toMatch(/#2 in_progress -> passing \(merged\)/)
  }, 300_000)

  it('all: every case in one run, each on its own feature, and the run still finishes', async () => {
    using dir = tempDir('autocoder-demo-')
    const projectDir = join(dir.path, 'sample')
    const demo = startDemo(
      demoArgs(projectDir, '--features', '4', '--concurrency', '2', '--scenario', 'all').slice(1),
      envOf(dir.path),
    )
    let asked: string
    try {
      await demo.waitFor(/#(\d) waits for a person: ".*"\n/, 200_000)
      asked = /#(\d) waits for a person/.exec(demo.output())![1]!
      const answered = runCli(['answer', '--project', projectDir, asked, 'Return it unchanged'], {
        env: envOf(dir.path),
      })
      expect(answered.status, answered.stderr).toBe(0)
      expect(await demo.exited).toBe(0)
    } finally {
      killGroup(demo.pid)
    }
    const output = demo.output()
    const limitedAgent = /\[(c\d+-\w+)\] rate limited; retrying in \d+ s/.exec(output)?.[1]
    const limited = new RegExp(`\\[${limitedAgent}\\] coding agent started on #(\\d)`).exec(
      output,
    )?.[1]
    const failed = /\] check failed for #(\d)/.exec(output)?.[1]
    const redone = /merge conflict in src\/index\.mjs; #(\d) will be redone/.exec(output)?.[1]
    expect(output).toMatch(/^model: \d+ replies, 2 answered 429 \(rate limited\)$/m)
    expect([limited, failed, redone]).not.toContain(undefined)
    // The rate limit, the failing check and the question each hit a feature of their own.
    expect(new Set([limited, failed, asked]).size).toBe(3)
    for (const id of [limited, asked, failed, redone])
      expect(
        after(output, new RegExp(`#${id} in_progress -> (needs_human|failing|pending|passing)`)),
      ).toMatch(new RegExp(`#${id} in_progress -> passing \\(merged\\)`))
    expect(output).toMatch(/^features: 4\/4 passing$/m)
    expect(evidence(projectDir, Number(asked))).toContain(
      'As the person answered: Return it unchanged.',
    )
    expect(evidence(projectDir, Number(failed))).toContain('Fixed after the failed check')
  }, 400_000)
})
