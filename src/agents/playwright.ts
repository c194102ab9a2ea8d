import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

import type { AgentMcpServer } from './runtime.js'

/** Browser tools of the Playwright MCP server (`browser_run_code` deliberately left out). */
export const PLAYWRIGHT_TOOLS = [
  'navigate',
  'navigate_back',
  'take_screenshot',
  'snapshot',
  'click',
  'type',
  'fill_form',
  'select_option',
  'press_key',
  'drag',
  'hover',
  'file_upload',
  'evaluate',
  'console_messages',
  'network_requests',
  'resize',
  'wait_for',
  'handle_dialog',
  'install',
  'close',
  'tabs',
].map((name) => `mcp__playwright__browser_${name}`)

/** The `@playwright/mcp` command line (stdio), with a given Chromium, headless, isolated, no sandbox. */
export function playwrightServer(chromiumPath: string, outputDir: string): AgentMcpServer {
  const require = createRequire(import.meta.url)
  const packageDir = dirname(require.resolve('@playwright/mcp/package.json'))
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    bin?: Record<string, string> | string
  }
  const bin = typeof pkg.bin === 'string' ? pkg.bin : (Object.values(pkg.bin ?? {})[0] ?? 'cli.js')
  return {
    type: 'stdio',
    command: process.execPath,
    args: [
      join(packageDir, bin),
      '--browser',
      'chromium',
      '--executable-path',
      chromiumPath,
      '--headless',
      '--isolated',
      '--no-sandbox',
      '--viewport-size',
      '1280x720',
      '--output-dir',
      outputDir,
    ],
  }
}
