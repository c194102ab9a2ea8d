// The built UI on the real server with simulated agents: picker, setup, board, shortcuts, themes,
// and a dropped connection that is caught up without a reload. Screenshots in test-artifacts/ui/screens.
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'

import { unwrap } from '../../src/core/index.js'
import type { Browser } from './browser.js'
import { launchBrowser, seriousViolations } from './browser.js'
import type { UiHarness } from './ui-server.js'
import { startAddress, startUiServer } from './ui-server.js'

let h: UiHarness
let browser: Browser

beforeAll(async () => {
  h = await startUiServer()
  browser = await launchBrowser('screens')
  await addProject(
    'shop',
    Array.from({ length: 40 }, (_, i) => ({
      category: ['catalog', 'cart', 'checkout'][i % 3] ?? '',
      name: `Feature number ${i + 1}`,
      dependencies: i > 2 ? [i - 2] : [],
    })),
  )
}, 120_000)

afterAll(async () => {
  await browser?.[Symbol.asyncDispose]()
  await h?.[Symbol.asyncDispose]()
})

/** Registers project `name` (a folder under the temp root) with `features`. */
async function addProject(
  name: string,
  features: Array<{ category: string; name: string; dependencies: number[] }>,
): Promise<void> {
  const made = await h.request('POST', '/api/projects', { name, path: join(h.root, name) })
  expect(made.status).toBe(201)
  const bulk = await h.request('POST', `/api/projects/${name}/features/bulk`, { features })
  expect(bulk.status).toBe(201)
}

function store(project = 'shop') {
  const opened = h.app.services.hub.open(project)
  if (!opened.ok) throw new Error(opened.error.message)
  return opened.value.store
}

describe('the web UI', () => {
  it('says what setup is missing, then lists projects with their progress', async () => {
    const { page } = browser
    onTestFailed(async () => void (await browser.screenshot('failed-setup')))
    // The test server has no model credentials: the picker sends the person to the setup screen.
    await page.goto(startAddress(h.app))
    await page.getByRole('heading', { name: 'Setup required' }).waitFor()
    await page.getByText('export ANTHROPIC_API_KEY=sk-ant-...').waitFor()
    await browser.screenshot('setup-required')
    expect(await seriousViolations(page)).toEqual([])
    await page.getByRole('button', { name: 'Continue to projects anyway' }).click()
    await page.getByRole('link', { name: /shop/ }).waitFor()
    expect(await page.getByText('0/40 passing').count()).toBe(1)
    await browser.screenshot('projects')
    expect(await seriousViolations(page)).toEqual([])
  })

  it('opens a board by its URL, with shortcuts, help and both themes', async () => {
    const { page } = browser
    onTestFailed(async () => void (await browser.screenshot('failed-board')))
    await page.goto(startAddress(h.app, '/projects/shop/board'))
    await page.getByTestId('column-pending').waitFor()
    expect(await page.getByTestId('progress-count').textContent()).toBe('0/40 passing')
    await page.keyboard.press('?')
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await help.waitFor()
    expect(await help.getByText('Go to Board').count()).toBe(1)
    await browser.screenshot('help')
    expect(await seriousViolations(page)).toEqual([])
    await page.keyboard.press('Escape')
    await help.waitFor({ state: 'detached' })
    const dark = (): Promise<boolean> =>
      page.evaluate<boolean>('document.documentElement.classList.contains("dark")')
    const before = await dark()
    await page.keyboard.press('t')
    expect(await dark()).toBe(!before)
    await browser.screenshot(before ? 'board-light' : 'board-dark')
    expect(await seriousViolations(page)).toEqual([])
    await page.keyboard.press('t')
    await browser.screenshot(before ? 'board-dark' : 'board-light')
    expect(await seriousViolations(page)).toEqual([])
  })

  it('shows a lost connection, reconnects and catches up without a reload', async () => {
    const { page } = browser
    onTestFailed(async () => void (await browser.screenshot('failed-reconnect')))
    await page.goto(startAddress(h.app, '/projects/shop/board'))
    const connection = page.getByTestId('connection')
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor()
    await page.evaluate('window.__autocoderMarker = 1')
    for (const client of h.app.app.websocketServer.clients) client.terminate()
    // While the page is away: a feature passes and another is claimed.
    store().features.transition(1, 'passing', { by: 'test', actor: 'operator', reason: 'verified' })
    store().claims.claim([2], 'c9', 'coding', 60_000)
    await page.locator('[data-testid="connection"][data-state="reconnecting"]').waitFor()
    await browser.screenshot('reconnecting')
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: 15_000 })
    expect(await connection.textContent()).toContain('Live')
    await page.locator('[data-testid="column-passing"] [data-feature-id="1"]').waitFor()
    await page.locator('[data-testid="column-in_progress"] [data-feature-id="2"]').waitFor()
    expect(await page.getByTestId('progress-count').textContent()).toBe('1/40 passing')
    // Same page: no reload happened.
    expect(await page.evaluate('window.__autocoderMarker')).toBe(1)
  })

  it('keeps the page still while events stream in: no layout shift as cards move', async () => {
    const { page } = browser
    onTestFailed(async () => void (await browser.screenshot('failed-layout-shift')))
    await addProject(
      'stream',
      Array.from({ length: 60 }, (_, i) => ({
        category: ['catalog', 'cart', 'checkout'][i % 3] ?? '',
        name: `Streamed feature ${i + 1} with a name that wraps onto a second line of its card`,
        dependencies: i % 6 === 0 ? [] : [i],
      })),
    )
    const board = store('stream')
    await page.goto(startAddress(h.app, '/projects/stream/board'))
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor()
    await page.getByTestId('column-pending').locator('[data-feature-id="1"]').waitFor()
    // Every layout shift from here on (shifts right after input do not count, none happen).
    await page.evaluate(`window.__shifts = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries())
          if (!entry.hadRecentInput)
            window.__shifts.push({ value: entry.value, nodes: entry.sources.map((s) => s.node?.outerHTML?.slice(0, 120) ?? '?') })
      }).observe({ type: 'layout-shift' })`)
    const by = { by: 'test', actor: 'operator' as const, reason: 'streamed' }
    // Cards move between every column, the header's figures change, the question badge appears.
    for (let i = 1; i <= 30; i++) {
      const agent = `c${i}`
      unwrap(board.claims.claim([i], agent, 'coding', 60_000))
      if (i % 5 === 0) {
        unwrap(board.notes.add(i, agent, 'question', `Question ${i}?`, { choices: ['yes', 'no'] }))
        unwrap(board.features.transition(i, 'needs_human', { ...by, reason: 'asked a person' }))
      } else unwrap(board.features.transition(i, i % 7 === 0 ? 'failing' : 'passing', by))
      unwrap(board.claims.release(i, agent, 'done'))
      await new Promise((resolve) => setTimeout(resolve, 40))
    }
    await page.getByTestId('progress-count').filter({ hasText: '20/60 passing' }).waitFor()
    await expect.poll(() => page.getByTestId('question-badge').textContent()).toBe('6')
    // Two frames, so shifts of the last changes are reported.
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))')
    await browser.screenshot('streamed-board')
    const shifts = await page.evaluate<Array<{ value: number; nodes: string[] }>>('window.__shifts')
    expect(shifts).toEqual([])
  })

  it('edits a feature in place: dependency cycle and limit errors, skip, add a feature', async () => {
    const { page } = browser
    onTestFailed(async () => void (await browser.screenshot('failed-feature')))
    await page.goto(startAddress(h.app, '/projects/shop/board/features/3'))
    const dialog = page.getByRole('dialog')
    await dialog.getByText('Dependencies').first().waitFor()
    await browser.screenshot('feature-detail')
    expect(await seriousViolations(page)).toEqual([])
    // #6 waits on #3: making #3 wait on #6 closes a cycle, which the server refuses.
    await dialog.getByLabel('Add a dependency').fill('6')
    await dialog.getByRole('button', { name: 'Add', exact: true }).click()
    const refusal = dialog.getByRole('alert')
    await refusal.waitFor()
    expect(await refusal.textContent()).toMatch(/cycle/i)
    await browser.screenshot('feature-cycle-error')
    await dialog.getByLabel('Add a dependency').fill('9999')
    await dialog.getByRole('button', { name: 'Add', exact: true }).click()
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/9999/)

    await dialog.getByRole('button', { name: 'Skip' }).click()
    await dialog.getByRole('button', { name: 'Put back in the run' }).waitFor()
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(page.url()).toMatch(/\/projects\/shop\/board$/)
    await page.getByRole('button', { name: 'Show skipped (1)' }).waitFor()

    await page.keyboard.press('n')
    const form = page.getByRole('dialog', { name: 'Add a feature' })
    await form.getByRole('button', { name: 'Add feature' }).click()
    await form
      .getByText(/too small|at least|required|expected string/i)
      .first()
      .waitFor()
    await browser.screenshot('add-feature-errors')
    expect(await seriousViolations(page)).toEqual([])
    await form.getByLabel('Category').fill('checkout')
    await form.getByLabel('Name').fill('Gift cards')
    await form.getByLabel('Depends on').fill('1, #2')
    await form.getByRole('button', { name: 'Add feature' }).click()
    await page.getByRole('dialog').getByText('Gift cards').first().waitFor()
    expect(page.url()).toMatch(/\/projects\/shop\/board\/features\/41$/)
    expect(await page.getByTestId('progress-count').textContent()).toBe('1/41 passing')
  })

  it('draws 200 features readably, starting at the first ones, and fits them all on request', async () => {
    const { page } = browser
    onTestFailed(async () => void (await browser.screenshot('failed-graph')))
    // Twenty chains of ten, each chain after the first also waiting on the one before it.
    const features = Array.from({ length: 200 }, (_, i) => ({
      category: ['catalog', 'cart', 'checkout', 'accounts'][i % 4] ?? '',
      name: `Graph feature ${i + 1}`,
      dependencies: i % 10 === 0 ? (i >= 10 ? [i - 9] : []) : [i],
    }))
    await addProject('big', features)
    await page.goto(startAddress(h.app, '/projects/big/graph'))
    const first = page.locator('[data-testid="graph-node"][data-feature-id="1"] a')
    await first.waitFor()
    // Names drawn at a readable size (the 14 px text at 60 % or more), #1 inside the view.
    const box = await first.boundingBox()
    const view = await page.getByTestId('graph').boundingBox()
    expect(box && view).toBeTruthy()
    if (!box || !view) return
    expect(box.height).toBeGreaterThanOrEqual(11)
    expect(box.x).toBeGreaterThanOrEqual(view.x)
    expect(box.y + box.height).toBeLessThanOrEqual(view.y + view.height)
    await browser.screenshot('graph-200')
    expect(await seriousViolations(page)).toEqual([])
    // Top to bottom: the view moves to the new start, #1 still in sight.
    await page.getByRole('button', { name: 'Top to bottom' }).click()
    await expect
      .poll(async () => {
        const moved = await first.boundingBox()
        return moved !== null && moved.y >= view.y && moved.y + moved.height <= view.y + view.height
      })
      .toBe(true)
    await browser.screenshot('graph-200-top-to-bottom')
    await page.getByRole('button', { name: 'Fit view' }).click()
    await expect.poll(async () => (await first.boundingBox())?.height ?? 99).toBeLessThan(11)
    await browser.screenshot('graph-200-fit')
  })

  it("answers an agent's question from the inbox, and the feature goes back into the run", async () => {
    const { page } = browser
    onTestFailed(async () => void (await browser.screenshot('failed-inbox')))
    const board = store()
    board.notes.add(6, 'c7', 'question', 'Which currency should prices use?', {
      choices: ['EUR', 'USD'],
    })
    board.features.transition(6, 'needs_human', {
      by: 'c7',
      actor: 'operator',
      reason: 'asked a person',
    })
    await page.goto(startAddress(h.app, '/projects/shop/board'))
    await expect.poll(() => page.getByTestId('question-badge').textContent()).toBe('1')
    await page.keyboard.press('i')
    const question = page.locator('[data-testid="question"][data-feature-id="6"]')
    await question.getByText('Which currency should prices use?').waitFor()
    await browser.screenshot('inbox')
    expect(await seriousViolations(page)).toEqual([])
    await question.getByLabel('EUR').check()
    await question.getByRole('button', { name: 'Answer' }).click()
    await question.waitFor({ state: 'detached' })
    expect(await page.getByTestId('question-badge').count()).toBe(0)
    expect(board.features.get(6)?.state).toBe('pending')
    expect(board.notes.list(6).at(-1)).toMatchObject({ kind: 'answer', text: 'EUR' })
  })
})
