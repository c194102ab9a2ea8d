// The README's screenshots, taken from a real offline demo run in Debian's Chromium:
//   node --import tsx test/ui/readme-screenshots.ts [features=16] [out=docs]
// Starts the server with the built UI, the demo with three coding agents, and shoots the board
// and mission control once a few features pass while three agents work.
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'

import {
  DEMO_LAUNCHER_OPTIONS,
  DEMO_MODEL,
  prepareDemoProject,
  startDemoModel,
} from '../../src/demo/index.js'
import { unwrap } from '../../src/core/index.js'
import { launchBrowser } from './browser.js'
import { startAddress, startUiServer } from './ui-server.js'

const features = Number(process.argv[2] ?? 16)
const out = process.argv[3] ?? join(import.meta.dirname, '..', '..', 'docs')
const AGENTS = 3
const WAIT_MS = 600_000

const h = await startUiServer({
  runParts: null,
  env: { PATH: process.env['PATH'], HOME: process.env['HOME'] },
  runSettings: { leaseMs: 30_000, heartbeatMs: 1_000 },
  launcher: DEMO_LAUNCHER_OPTIONS,
})
const projectDir = join(h.root, 'demo')
unwrap(prepareDemoProject(projectDir, { features }))
const model = unwrap(await startDemoModel(projectDir, { latencyMs: 1_500 }))
const browser = await launchBrowser('readme')
try {
  await h.request('POST', '/api/projects/import', { name: 'demo', path: projectDir })
  await h.request('PATCH', '/api/settings', {
    anthropic_base_url: model.url,
    anthropic_api_key: 'autocoder-demo',
    model: DEMO_MODEL,
  })
  const { page } = browser
  await page.goto(startAddress(h.app, '/projects/demo/board'))
  await page.locator('[data-testid="connection"][data-state="live"]').waitFor()
  await h.request('POST', '/api/projects/demo/run/start', { concurrency: AGENTS, yolo: true })
  // A board with work in every stage: some passing, three agents on cards, more pending.
  await page
    .locator('[data-testid="column-passing"] [data-testid="feature-card"]')
    .nth(3)
    .waitFor({ timeout: WAIT_MS })
  await page
    .locator('[data-testid="column-in_progress"] [data-testid="feature-card"]')
    .nth(AGENTS - 1)
    .waitFor({ timeout: WAIT_MS })
  mkdirSync(out, { recursive: true })
  copyFileSync(await browser.screenshot('board'), join(out, 'board.png'))
  await page.getByRole('link', { name: 'Mission control' }).click()
  const cards = page.getByTestId('agent-card')
  await cards.nth(AGENTS - 1).waitFor({ timeout: WAIT_MS })
  // Each card showing the tool its agent runs (not "tool —" before the first one), still so in
  // the screenshot (an agent may finish meanwhile: then shoot again).
  // A string, so this file needs no DOM types: it runs in the page.
  const allWorking = `(() => {
    const tools = [...document.querySelectorAll('[data-testid="agent-card"] [data-testid="agent-tool"]')]
    return tools.length >= ${AGENTS} && tools.every((tool) => !tool.textContent.trim().endsWith('—'))
  })()`
  for (let attempt = 1; ; attempt++) {
    await page.waitForFunction(allWorking, undefined, { timeout: WAIT_MS })
    const shot = await browser.screenshot('mission-control')
    if ((await page.evaluate<boolean>(allWorking)) || attempt === 10) {
      copyFileSync(shot, join(out, 'mission-control.png'))
      break
    }
  }
  console.log(`wrote ${join(out, 'board.png')} and ${join(out, 'mission-control.png')}`)
} finally {
  await browser[Symbol.asyncDispose]()
  await h[Symbol.asyncDispose]()
  await model.close()
}
