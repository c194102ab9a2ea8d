// The offline demo watched and steered from the browser: the real server with the built UI, the
// real claude binary playing the demo's agents against the scripted model, Debian's Chromium.
// One run, several steps (each needs the previous): start it from the UI, watch cards move live,
// change a setting the next agent uses, pause, resume and change concurrency, answer the
// scripted question from the inbox, then inspect the finished board, graph and a merge diff.
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'

import {
  DEMO_LAUNCHER_OPTIONS,
  DEMO_MODEL,
  prepareDemoProject,
  startDemoModel,
} from '../../src/demo/index.js'
import type { DemoModel } from '../../src/demo/index.js'
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
  // One feature asks a person before it can be built (the demo's needs-human scenario).
  unwrap(prepareDemoProject(projectDir, { features: FEATURES, scenario: 'needs-human' }))
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

/** On a failure: a screenshot, then close any dialog so the next step starts from the page. */
async function failed(name: string): Promise<void> {
  await browser.screenshot(name)
  await browser.page.keyboard.press('Escape')
}

const CHANGED_MODEL = 'claude-demo-changed'
/** The models the agents' requests to the scripted model API named. */
const modelsAsked = (): unknown[] =>
  model.requests.map((request) => (request.body as { model?: unknown } | undefined)?.model)
const running = '[data-testid="run-mode"][data-mode="running"]'

describe('a demo run in the browser', () => {
  it(
    'starts from the UI and shows the first agent on the board and in mission control',
    async () => {
      const { page } = browser
      onTestFailed(() => failed('failed-start'))
      await page.goto(startAddress(h.app, '/projects/demo/board'))
      await page.locator('[data-testid="connection"][data-state="live"]').waitFor()
      await browser.screenshot('01-empty-board')
      expect(await seriousViolations(page)).toEqual([])

      await page.getByRole('button', { name: 'Start run…' }).click()
      const dialog = page.getByRole('dialog', { name: 'Start a run' })
      await dialog.getByLabel('Coding agents').fill('1')
      // One feature per agent: more agents start after the settings change below.
      await dialog.getByLabel('Batch size').fill('1')
      await dialog.getByLabel(/YOLO mode/).check()
      await browser.screenshot('02-start-dialog')
      expect(await seriousViolations(page)).toEqual([])
      await dialog.getByRole('button', { name: 'Start run' }).click()
      await page.locator(running).waitFor()
      // The agents' code runs in the OS sandbox, and the header says which.
      await page.locator('[data-testid="run-sandbox"][data-sandbox="bubblewrap"]').waitFor()

      // The initializer writes the features; a coding agent then takes the first one.
      await page
        .locator('[data-testid="feature-card"][data-state="in_progress"]')
        .first()
        .waitFor({ timeout: RUN_TIMEOUT_MS })
      await browser.screenshot('03-in-progress')
      await page.getByRole('link', { name: 'Mission control' }).click()
      // An agent at work: a tool called, something said.
      const card = page
        .getByTestId('agent-card')
        .filter({ has: page.getByTestId('agent-tool').filter({ hasNotText: '—' }) })
        .first()
      await card.waitFor({ timeout: RUN_TIMEOUT_MS })
      await expect.poll(() => page.getByTestId('activity').locator('li').count()).toBeGreaterThan(2)
      await browser.screenshot('04-mission-control')
      expect(await seriousViolations(page)).toEqual([])
      await card.getByRole('button', { name: 'Logs' }).click()
      const log = page.getByTestId('agent-log')
      await expect.poll(() => log.locator('li').count(), { timeout: 30_000 }).toBeGreaterThan(2)
      expect(await log.textContent()).toContain('started (coding')
      await browser.screenshot('04-agent-log')
      expect(await seriousViolations(page)).toEqual([])
      await page.keyboard.press('Escape')
      await log.waitFor({ state: 'detached' })
    },
    RUN_TIMEOUT_MS + 60_000,
  )

  it(
    'gives the next agent the model changed in the settings',
    async () => {
      const { page } = browser
      onTestFailed(() => failed('failed-setting'))
      expect(modelsAsked()).not.toContain(CHANGED_MODEL)
      await page.getByRole('link', { name: 'Settings' }).click()
      const models = page.getByRole('form', { name: 'Models (this project)' })
      await models.getByLabel('Coding agents').fill(CHANGED_MODEL)
      await models.getByRole('button', { name: 'Save' }).click()
      await models.getByText('Saved.').waitFor()
      await expect.poll(() => page.getByTestId('model-coding').textContent()).toBe(CHANGED_MODEL)
      await browser.screenshot('05-settings')
      expect(await seriousViolations(page)).toEqual([])
      await page.getByRole('link', { name: 'Mission control' }).click()
      await page
        .getByTestId('agent-card')
        .filter({ hasText: CHANGED_MODEL })
        .first()
        .waitFor({ timeout: RUN_TIMEOUT_MS })
      // The model API itself is asked for the new model by that agent's session.
      await expect.poll(modelsAsked, { timeout: 60_000 }).toContain(CHANGED_MODEL)
    },
    RUN_TIMEOUT_MS + 60_000,
  )

  it('pauses, resumes and changes the number of coding agents', async () => {
    const { page } = browser
    onTestFailed(() => failed('failed-controls'))
    await page.getByRole('button', { name: 'Pause' }).click()
    await page.locator('[data-testid="run-mode"][data-mode="paused"]').waitFor()
    await browser.screenshot('06-paused')
    await page.getByRole('button', { name: 'Resume' }).click()
    await page.locator(running).waitFor()
    await page.getByRole('button', { name: 'More coding agents' }).click()
    await expect.poll(() => page.getByTestId('concurrency').textContent()).toBe('2 agents')
    await page.getByRole('link', { name: 'Mission control' }).click()
    await expect.poll(() => page.getByTestId('coding-slots').textContent()).toMatch(/\/ 2$/)
    await browser.screenshot('06-mission-control-two-slots')
    await page.getByRole('link', { name: 'Board' }).click()
    await page.getByTestId('column-pending').waitFor()
    await browser.screenshot('06-board-running')
  }, 60_000)

  it(
    "answers the agent's scripted question from the inbox and sees that feature pass",
    async () => {
      const { page } = browser
      onTestFailed(() => failed('failed-question'))
      await page.getByTestId('question-badge').waitFor({ timeout: RUN_TIMEOUT_MS })
      expect(await page.getByTestId('question-badge').textContent()).toBe('1')
      await page.getByRole('link', { name: /Questions/ }).click()
      const question = page.getByTestId('question')
      await question.getByText(/should it throw a TypeError/).waitFor()
      const id = await question.getAttribute('data-feature-id')
      await browser.screenshot('07-question')
      expect(await seriousViolations(page)).toEqual([])
      await question.getByLabel('Throw a TypeError').check()
      await question.getByRole('button', { name: 'Answer' }).click()
      await question.waitFor({ state: 'detached' })
      await page.getByRole('link', { name: 'Board' }).click()
      // Back in the run: the next agent reads the answer and builds it.
      await page
        .locator(`[data-testid="column-passing"] [data-feature-id="${id}"]`)
        .waitFor({ timeout: RUN_TIMEOUT_MS })
    },
    RUN_TIMEOUT_MS + 60_000,
  )

  it(
    'shows every card passing, then the graph and a feature with its merge diff',
    async () => {
      const { page } = browser
      onTestFailed(() => failed('failed-finish'))
      await page
        .getByTestId('progress-count')
        .filter({ hasText: `${FEATURES}/${FEATURES} passing` })
        .waitFor({ timeout: RUN_TIMEOUT_MS })
      await page.getByTestId('celebration').waitFor()
      expect(
        await page.locator('[data-testid="column-passing"] [data-testid="feature-card"]').count(),
      ).toBe(FEATURES)
      await page.locator('[data-testid="run-mode"][data-mode="idle"]').waitFor({ timeout: 60_000 })
      await browser.screenshot('08-all-passing')
      await page.keyboard.press('Escape')

      await page.getByRole('link', { name: 'Graph' }).click()
      await expect
        .poll(() => page.locator('[data-testid="graph-node"][data-status="done"]').count())
        .toBe(FEATURES)
      await browser.screenshot('09-graph')
      expect(await seriousViolations(page)).toEqual([])
      await page.locator('[data-testid="graph-node"][data-feature-id="2"] a').click()
      const detail = page.getByRole('dialog')
      await detail.getByText('Evidence and notes').waitFor()
      await detail.getByRole('button', { name: 'Show the merge diff' }).click()
      const diff = detail.getByLabel('Merge diff')
      await diff.waitFor()
      expect(await diff.textContent()).toMatch(/\+/)
      expect(await detail.getByRole('table').locator('tbody tr').count()).toBeGreaterThan(0)
      await browser.screenshot('10-feature-diff')
      expect(await seriousViolations(page)).toEqual([])
      expect(page.url()).toMatch(/\/projects\/demo\/graph\/features\/2$/)
    },
    RUN_TIMEOUT_MS + 60_000,
  )
})
