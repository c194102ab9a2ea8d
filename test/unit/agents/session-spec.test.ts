import { describe, expect, it } from 'vitest'

import {
  buildSessionSpec,
  COMPACT_INSTRUCTIONS,
  MAX_TURNS,
  PLAYWRIGHT_TOOLS,
} from '../../../src/agents/session-spec.js'
import type { RoleSessionInput } from '../../../src/agents/session-spec.js'
import type { SessionSpec } from '../../../src/agents/runtime.js'

const input = (over: Partial<RoleSessionInput> = {}): RoleSessionInput => ({
  agentId: 'coding-1',
  role: 'coding',
  featureIds: [4],
  model: 'm',
  cwd: '/work/tree',
  port: 4100,
  yolo: false,
  env: { PATH: '/bin' },
  features: {
    server: { type: 'stdio', command: 'features' },
    toolNames: ['mcp__features__feature_claim_and_get'],
  },
  securityHooks: [],
  // Any existing file stands in for the browser binary.
  chromiumPath: process.execPath,
  ...over,
})

function build(over: Partial<RoleSessionInput> = {}): SessionSpec {
  const spec = buildSessionSpec(input(over))
  if (!spec.ok) throw new Error(spec.error.message)
  return spec.value
}

describe('buildSessionSpec', () => {
  it('gives exactly the built-ins, the role tools and the browser tools', () => {
    const spec = build()
    expect(spec.tools).toEqual([
      'Read',
      'Write',
      'Edit',
      'Glob',
      'Grep',
      'Bash',
      'mcp__features__feature_claim_and_get',
      ...PLAYWRIGHT_TOOLS,
    ])
    expect(spec.tools).not.toContain('mcp__playwright__browser_run_code')
    expect(spec.maxTurns).toBe(MAX_TURNS.coding)
  })

  it('runs Playwright headless and isolated on the configured Chromium without its sandbox', () => {
    const server = build().mcpServers['playwright'] as { command: string; args: string[] }
    expect(server.args).toEqual(
      expect.arrayContaining([
        '--browser',
        'chromium',
        '--executable-path',
        process.execPath,
        '--headless',
        '--isolated',
        '--no-sandbox',
      ]),
    )
  })

  it('leaves the browser out in yolo mode and when Chromium is missing, and says so in the prompt', () => {
    for (const spec of [build({ yolo: true }), build({ chromiumPath: '/no/such/chromium' })]) {
      expect(spec.mcpServers['playwright']).toBeUndefined()
      expect(spec.tools.some((tool) => tool.includes('playwright'))).toBe(false)
      expect(spec.prompt).toContain('Browser tools are off')
    }
  })

  it('gives testing agents 100 turns', () => {
    expect(build({ role: 'testing', featureIds: [1, 2] }).maxTurns).toBe(100)
  })

  it('tells the summariser what to keep when the context is compacted', async () => {
    const hook = build().hooks.PreCompact?.[0]?.hooks[0]
    const output = await hook!(
      { hook_event_name: 'PreCompact', trigger: 'auto', custom_instructions: null } as never,
      undefined,
      { signal: new AbortController().signal },
    )
    expect(JSON.stringify(output)).toContain(COMPACT_INSTRUCTIONS.slice(0, 40))
  })
})
