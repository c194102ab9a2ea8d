// How setUpRun decides a run: the run's own choices win over the project's settings, which win
// over the global ones, then the registry's default concurrency, then the defaults; fast mode has
// no testing agents; a stored setting of the wrong shape is a clear error, not a silent default.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { systemClock } from '../../../src/core/clock.js'
import { unwrap } from '../../../src/core/result.js'
import { setUpRun, sharedWorkspace } from '../../../src/orchestrator/index.js'
import { liveModels } from '../../../src/orchestrator/run-setup.js'
import type { RunSetupInput } from '../../../src/orchestrator/index.js'
import { ProjectStore } from '../../../src/store/index.js'
import { simLauncher } from '../../fakes/sim-launcher.js'
import { tempDir } from '../../helpers/tmp.js'

let dir: { path: string } & Disposable
let store: ProjectStore

beforeEach(() => {
  dir = tempDir('autocoder-setup-')
  store = unwrap(ProjectStore.open(dir.path))
})

afterEach(() => {
  store.close()
  dir[Symbol.dispose]()
})

function input(over: Partial<RunSetupInput> = {}): RunSetupInput {
  return {
    store,
    request: {},
    globalSettings: {},
    env: { ANTHROPIC_API_KEY: 'test', PATH: process.env['PATH'] },
    home: dir.path,
    autocoderHome: dir.path,
    startedBy: 'cli',
    waitForAnswers: false,
    parts: {
      launcher: simLauncher({ store, clock: systemClock }),
      workspace: sharedWorkspace(dir.path),
    },
    ...over,
  }
}

describe('setUpRun', () => {
  it('takes the request over the project settings over the global ones over the defaults', async () => {
    store.settings.set('concurrency', 4)
    store.settings.set('batch_size', 2)
    const global = { concurrency: 7, batch_size: 1, testing_agents: 2 }
    const fromSettings = unwrap(await setUpRun(input({ globalSettings: global })))
    expect(fromSettings.settings).toMatchObject({ concurrency: 4, batchSize: 2, testingAgents: 2 })
    const requested = unwrap(
      await setUpRun(input({ globalSettings: global, request: { concurrency: 2, batchSize: 3 } })),
    )
    expect(requested.settings).toMatchObject({ concurrency: 2, batchSize: 3, testingAgents: 2 })
    store.settings.delete('concurrency')
    const registry = unwrap(await setUpRun(input({ defaultConcurrency: 5 })))
    expect(registry.settings.concurrency).toBe(5)
    const defaults = unwrap(await setUpRun(input()))
    expect(defaults.settings).toMatchObject({ concurrency: 1, testingAgents: 0 })
  })

  it('runs no testing agents in fast mode, whether the request or a setting asks for it', async () => {
    store.settings.set('testing_agents', 3)
    expect(unwrap(await setUpRun(input({ request: { yolo: true } }))).settings.testingAgents).toBe(
      0,
    )
    store.settings.set('yolo', true)
    const fromSetting = unwrap(await setUpRun(input()))
    expect(fromSetting.yolo).toBe(true)
    expect(fromSetting.settings.testingAgents).toBe(0)
    expect(unwrap(await setUpRun(input({ request: { yolo: false } }))).settings.testingAgents).toBe(
      3,
    )
  })

  it('refuses a stored setting of the wrong shape and names it', async () => {
    store.settings.set('concurrency', '4')
    const refused = await setUpRun(input())
    expect(refused.ok).toBe(false)
    if (!refused.ok) {
      expect(refused.error.code).toBe('SETTINGS_INVALID')
      expect(refused.error.message).toContain('project setting concurrency')
    }
  })

  it('reads the models again when each agent starts, so a changed setting applies to the next one', () => {
    const atStart = { initializer: 'start-i', coding: 'start-c', testing: 'start-t' }
    let global: Record<string, unknown> = { model_testing: 'global-t' }
    const models = liveModels(input({ currentGlobalSettings: () => global }), atStart)
    store.settings.set('model_coding', 'project-c')
    expect(models.coding).toBe('project-c')
    store.settings.set('model_coding', 'project-c2')
    expect(models.coding).toBe('project-c2')
    expect(models.testing).toBe('global-t')
    global = { model: 'global-any' }
    expect(models.testing).toBe('global-any')
    expect(models.initializer).toBe('global-any')
    // A setting made invalid mid-run keeps the model the run started with.
    store.settings.set('model_coding', 42)
    expect(models.coding).toBe('start-c')
  })

  it('reports missing credentials before anything is built', async () => {
    const refused = await setUpRun(input({ env: {}, parts: undefined }))
    expect(refused.ok).toBe(false)
    if (!refused.ok) expect(refused.error.code).toBe('NO_CREDENTIALS')
  })
})
