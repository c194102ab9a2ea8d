import { describe, expect, it } from 'vitest'

import { ProjectStore } from '../../../src/store/index.js'
import {
  FEATURE_TOOLS,
  qualifiedToolNames,
  TOOL_NAMES,
  TOOL_SETS,
} from '../../../src/tools/index.js'
import type { ToolRole } from '../../../src/tools/index.js'
import { FakeClock } from '../../fakes/fake-clock.js'
import { inProcessClient } from '../../helpers/tool-clients.js'

const REFERENCE_TOOLS = [
  'feature_get_stats',
  'feature_get_by_id',
  'feature_get_summary',
  'feature_mark_passing',
  'feature_mark_failing',
  'feature_skip',
  'feature_mark_in_progress',
  'feature_claim_and_get',
  'feature_clear_in_progress',
  'feature_create_bulk',
  'feature_create',
  'feature_add_dependency',
  'feature_remove_dependency',
  'feature_set_dependencies',
  'feature_get_ready',
  'feature_get_blocked',
  'feature_get_graph',
]

describe('tool registry and tool sets', () => {
  it('has every reference tool plus ask_human, add_note and get_notes, each registered once', () => {
    expect([...TOOL_NAMES].sort()).toEqual(
      [...REFERENCE_TOOLS, 'feature_ask_human', 'feature_add_note', 'feature_get_notes'].sort(),
    )
    expect(FEATURE_TOOLS.map((tool) => tool.name).sort()).toEqual([...TOOL_NAMES].sort())
  })

  it('gives testing agents no way to create features or skip them', () => {
    expect(TOOL_SETS.testing).not.toContain('feature_create_bulk')
    expect(TOOL_SETS.testing).not.toContain('feature_skip')
    expect(TOOL_SETS.initializer).not.toContain('feature_claim_and_get')
    expect(TOOL_SETS.coding).toEqual(
      expect.arrayContaining([
        'feature_claim_and_get',
        'feature_mark_passing',
        'feature_ask_human',
      ]),
    )
  })

  for (const role of [
    'initializer',
    'coding',
    'testing',
    'expand',
    'assistant',
    'operator',
  ] as ToolRole[]) {
    it(`serves a ${role} agent exactly its tool set in process`, async () => {
      const store = ProjectStore.memory(new FakeClock())
      const client = await inProcessClient({
        store,
        callerId: role === 'operator' ? 'operator' : `${role}-1`,
        role,
        leaseMs: 1000,
        verifyPasses: true,
      })
      expect((await client.listTools()).sort()).toEqual([...TOOL_SETS[role]].sort())
      await client.close()
      store.close()
    })
  }

  it('names tools as the model sees them through the features server', () => {
    expect(qualifiedToolNames(['feature_get_stats'])).toEqual(['mcp__features__feature_get_stats'])
  })
})
