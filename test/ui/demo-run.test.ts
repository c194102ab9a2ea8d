// The offline demo watched and steered from the browser: the real server with the built UI, the
// real claude binary playing the demo's agents against the scripted model, Debian's Chromium.
// One run, several steps (each needs the previous): start it from the UI, watch cards move live,
// pause, resume and change concurrency, then inspect the finished board.
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'

import {
  DEMO_LAUNCHER_OPTIONS,
  DEMO_MODEL,
  prepareDemoProject,
  startDemoModel,
} from '../../src/agents/index.js'
import type { DemoModel } from '../../src/agents/index.js'
import { unwrap } from '../../src/core/index.js'
import type { Browser } from './browser.js'
import { launchBrowser, seriousViolations } from './browser.js'
import type { UiHarness } from './ui-server.js'
import { startAddress, startUiServer } from './ui-server.js'

const FEATURES = 4
const RUN_TIMEOUT_MS = 240_000
let h: UiHarness
let model: DemoModel
let browser: Browser

beforeAll(async () => {
  h = await startUiServer({
    runParts: null,
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'] },
    runSettings: { leaseMs: 30_000, heartbeatMs: 1_000 },
    launcher: DEMO_LAUNCHER_OPTIONS,
  })
  const projectDir = join(h.root, 'demo')
  unwrap(prepareDemoProject(projectDir, { features: FEATURES }))
  model = unwrap(await startDemoModel(projectDir))
  expect(
    (await h.request('POST', '/api/projects/import', { name: 'demo', path: projectDir })).status,
  ).toBe(201)
  const settings = await h.request('PATCH', '/api/settings', {
    anthropic_base_url: model.url,
    anthropic_api_key: 'autocoder-demo',
    model: DEMO_MODEL,
  })
  expect(settings.status).toBe(200)
  browser = await launchBrowser('demo-run')
}, 180_000)

afterAll(async () => {
  await browser?.[Symbol.asyncDispose]()
  await h?.[Symbol.asyncDispose]()
  await model?.close()
})

describe('a demo run in the browser', () => {
  it('starts from the UI and shows cards moving to passing live', async () => {
    const { page } = browser
    onTestFailed(async () => {
      await browser.screenshot('failed')
    })
    await page.goto(startAddress(h.app, '/projects/demo/board'))
    await page.getByTestId('connection').and(page.locator('[data-state="live"]')).waitFor()
    await browser.screenshot('01-empty-board')
    expect(await seriousViolations(page)).toEqual([])

    await page.getByRole('button', { name: 'Start run…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Start a run' })
    await dialog.getByLabel('Coding agents').fill('1')
    await dialog.getByLabel(/YOLO mode/).check()
    await browser.screenshot('02-start-dialog')
    expect(await seriousViolations(page)).toEqual([])
    await dialog.getByRole('button', { name: 'Start run' }).click()
    await page.locator('[data-testid="run-mode"][data-mode="running"]').waitFor()

    // The initializer writes the features; coding agents then take them one by one.
    await page
      .locator('[data-testid="feature-card"][data-state="in_progress"]')
      .first()
      .waitFor({ timeout: RUN_TIMEOUT_MS })
    await browser.screenshot('03-in-progress')

    await page.getByRole('button', { name: 'Pause' }).click()
    await page.locator('[data-testid="run-mode"][data-mode="paused"]').waitFor()
    await browser.screenshot('04-paused')
    await page.getByRole('button', { name: 'Resume' }).click()
    await page.locator('[data-testid="run-mode"][data-mode="running"]').waitFor()
    await page.getByRole('button', { name: 'More coding agents' }).click()
    await expect.poll(() => page.getByTestId('concurrency').textContent()).toBe('2 agents')

    await page
      .getByTestId('progress-count')
      .filter({ hasText: `${FEATURES}/${FEATURES} passing` })
      .waitFor({ timeout: RUN_TIMEOUT_MS })
    expect(
      await page.locator('[data-testid="column-passing"] [data-testid="feature-card"]').count(),
    ).toBe(FEATURES)
    await page.locator('[data-testid="run-mode"][data-mode="idle"]').waitFor({ timeout: 60_000 })
    await browser.screenshot('05-all-passing')
    expect(await seriousViolations(page)).toEqual([])
  }, 400_000)
})
