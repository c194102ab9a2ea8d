// Debian's Chromium driven by playwright-core (no downloaded browsers), a fresh profile per
// launch, screenshots into test-artifacts/ui/<suite>/ and axe-core checks injected into the page.
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

import { chromium } from 'playwright-core'
import type { Browser as PlaywrightBrowser, BrowserContext, Page } from 'playwright-core'

import { tempDir } from '../helpers/tmp.js'

export const CHROMIUM_PATH = process.env['AUTOCODER_CHROMIUM'] ?? '/usr/bin/chromium'
const root = join(import.meta.dirname, '..', '..')
/** Where UI tests leave their screenshots (kept by .ci/run as artifacts). */
export const ARTIFACTS_DIR = join(root, 'test-artifacts', 'ui')

export interface Browser extends AsyncDisposable {
  context: BrowserContext
  page: Page
  /** Saves a full-page screenshot as `<suite>/<name>.png`; returns its path. */
  screenshot(name: string): Promise<string>
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
]

/**
 * Chromium headless without a profile: each `newContext()` is a fresh browser context with an
 * empty cache (a first visit), in a browser that is already running.
 */
export function launchChromium(): Promise<PlaywrightBrowser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS })
}

/** Launches Chromium headless with a fresh `--user-data-dir` and opens one page. */
export async function launchBrowser(
  suite: string,
  viewport = { width: 1400, height: 900 },
): Promise<Browser> {
  const profile = tempDir('autocoder-chromium-')
  const context = await chromium.launchPersistentContext(profile.path, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport,
    args: CHROMIUM_ARGS,
  })
  const page = context.pages()[0] ?? (await context.newPage())
  const folder = join(ARTIFACTS_DIR, suite)
  mkdirSync(folder, { recursive: true })
  return {
    context,
    page,
    async screenshot(name) {
      const path = join(folder, `${name}.png`)
      await page.screenshot({ path, fullPage: false })
      return path
    },
    async [Symbol.asyncDispose]() {
      await context.close().catch(() => undefined)
      profile[Symbol.dispose]()
    },
  }
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
)

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: string[]
}

/** Runs axe-core on the page; returns the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource })
  // A string, so this file needs no DOM types: it runs in the page.
  const violations = await page.evaluate<AxeViolation[]>(`(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] })
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.slice(0, 5).map((node) => JSON.stringify(node.target)),
    }))
  })()`)
  return violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  )
}
