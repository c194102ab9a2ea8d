// One run set-up: `autocoder run` and a run started through the server's API build the run from
// the same settings in the same way (setUpRun). A board whose features are all done makes the
// run end at once, after `run.started` recorded what it was built with; no agent starts.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import type { AppEvent } from '../../src/core/events.js'
import { unwrap } from '../../src/core/result.js'
import { ProjectStore, Registry } from '../../src/store/index.js'
import { runCliAsync } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'
import { startHarness } from '../integration/server/app-harness.js'
import { createBoard, initProject } from '../integration/orchestrator/real-run.js'

const PROJECT_SETTINGS = {
  concurrency: 4,
  batch_size: 2,
  testing_agents: 2,
  check_command: ['node', 'check.mjs'],
}
const GLOBAL_SETTINGS = { testing_agents: 1, yolo: false, allowed_hosts: ['packages.test'] }

/** A git project whose only feature is already skipped, with the run settings stored in it. */
function doneProject(dir: string): void {
  mkdirSync(dir)
  initProject(dir)
  const store = unwrap(ProjectStore.open(dir))
  try {
    createBoard(
      store,
      1,
      () => [],
      () => 'c',
    )
    unwrap(
      store.features.transition(1, 'skipped', {
        by: 'test',
        actor: 'operator',
        reason: 'done already',
      }),
    )
    for (const [key, value] of Object.entries(PROJECT_SETTINGS)) store.settings.set(key, value)
  } finally {
    store.close()
  }
}

function runStarted(dir: string): Record<string, unknown> {
  const store = unwrap(ProjectStore.open(dir))
  try {
    const events = store.events.after(0)
    const started = events.filter((event) => event.type === 'run.started')
    expect(started).toHaveLength(1)
    const event = started[0] as Extract<AppEvent, { type: 'run.started' }>
    return { ...event.options, sandbox: event.sandbox }
  } finally {
    store.close()
  }
}

describe('one run set-up', () => {
  it('gives the same run from the same settings whether the CLI or the server starts it', async () => {
    using dir = tempDir('autocoder-run-setup-')
    // The CLI, with its own AUTOCODER_HOME holding the global settings.
    const cliProject = join(dir.path, 'cli-project')
    doneProject(cliProject)
    const home = join(dir.path, 'autocoder-home')
    const registry = unwrap(Registry.open(home))
    for (const [key, value] of Object.entries(GLOBAL_SETTINGS)) registry.settings.set(key, value)
    registry.close()
    const cli = await runCliAsync(['run', '--project', cliProject], {
      env: { AUTOCODER_HOME: home, ANTHROPIC_API_KEY: 'test', HOME: dir.path },
    })
    expect(cli.stderr).toBe('')
    expect(cli.status).toBe(0)
    expect(cli.stdout).toContain('4 coding, 2 testing agent(s)')
    expect(cli.stdout).toContain('sandbox: bubblewrap')

    // The server, with the same settings set through its API.
    await using h = await startHarness({
      runParts: null,
      runSettings: {},
      env: { PATH: process.env['PATH'], HOME: dir.path, ANTHROPIC_API_KEY: 'test' },
    })
    const serverProject = join(h.root, 'server-project')
    doneProject(serverProject)
    expect(
      (await h.request('POST', '/api/projects/import', { name: 'app', path: serverProject }))
        .status,
    ).toBe(201)
    expect((await h.request('PATCH', '/api/settings', GLOBAL_SETTINGS)).status).toBe(200)
    expect((await h.request('POST', '/api/projects/app/run/start', {})).status).toBe(201)
    for (let i = 0; i < 200; i++) {
      const status = await h.request('GET', '/api/projects/app/run')
      if (status.json.owner === 'none') break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }

    const fromCli = runStarted(cliProject)
    const fromServer = runStarted(serverProject)
    expect(fromCli).toMatchObject({
      concurrency: 4,
      batchSize: 2,
      testingAgents: 2,
      checkCommand: ['node', 'check.mjs'],
      yolo: false,
      // No silent downgrade: both contain their agents in the sandbox that works here.
      sandbox: 'bubblewrap',
      by: 'cli',
      waitForAnswers: false,
    })
    expect(fromServer).toMatchObject({ by: 'server', waitForAnswers: true })
    // Only who started it and the server's waiting for answers differ.
    const same = (options: Record<string, unknown>) => {
      const { by: _by, waitForAnswers: _wait, projectDir: _dir, ...rest } = options
      return rest
    }
    expect(same(fromServer)).toEqual(same(fromCli))
    // Each start tests the sandbox for real (a few seconds on a loaded machine).
  }, 120_000)
})
