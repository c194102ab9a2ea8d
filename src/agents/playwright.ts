import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

import { shellQuote } from '../sandbox/index.js'
import type { Sandbox } from '../sandbox/index.js'
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

function packageDir(): string {
  return dirname(createRequire(import.meta.url).resolve('@playwright/mcp/package.json'))
}

/** The node_modules folder the Playwright MCP server and its browser driver load from. */
export function playwrightModulesDir(): string | null {
  try {
    return dirname(dirname(packageDir()))
  } catch {
    return null
  }
}

/**
 * The `@playwright/mcp` server (stdio) with a given Chromium, headless, isolated, without
 * Chromium's own sandbox: started inside the agent's sandbox (its pod), so the browser reaches the
 * agent's dev server on the pod's loopback and nothing of the host's.
 */
export function playwrightServer(
  chromiumPath: string,
  outputDir: string,
  sandbox: Sandbox,
  cwd: string,
): AgentMcpServer {
  const dir = packageDir()
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    bin?: Record<string, string> | string
  }
  const bin = typeof pkg.bin === 'string' ? pkg.bin : (Object.values(pkg.bin ?? {})[0] ?? 'cli.js')
  const argv = [
    process.execPath,
    join(dir, bin),
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
  ]
  return {
    type: 'stdio',
    command: '/bin/bash',
    args: [
      '--norc',
      '--noprofile',
      '-c',
      sandbox.wrapShellCommand(argv.map(shellQuote).join(' '), cwd),
    ],
  }
}
