import { describe, expect, it } from 'vitest'

import { mergeMessage } from '../../../src/workspace/merge-commit.js'
import { agentBranch, assertAgentId, worktreePath } from '../../../src/workspace/layout.js'

describe('mergeMessage', () => {
  it('ends the message with the agent and feature trailers', () => {
    expect(
      mergeMessage({ agentId: 'coding-2', featureIds: [3, 4], message: 'Add login and logout' }),
    ).toBe('Add login and logout\n\nAutocoder-Agent: coding-2\nAutocoder-Features: 3,4\n')
  })

  it('writes a subject naming the features when the message is empty', () => {
    expect(mergeMessage({ agentId: 'coding-1', featureIds: [7], message: '  ' })).toBe(
      'Merge work of coding-1 on features #7\n\nAutocoder-Agent: coding-1\nAutocoder-Features: 7\n',
    )
  })

  it('leaves out the features trailer for a batch without features', () => {
    expect(mergeMessage({ agentId: 'initializer', featureIds: [], message: 'Scaffold' })).toBe(
      'Scaffold\n\nAutocoder-Agent: initializer\n',
    )
  })
})

describe('agent layout', () => {
  it('places the worktree under .autocoder/worktrees and the branch under autocoder/', () => {
    expect(worktreePath('/p', 'coding-1')).toBe('/p/.autocoder/worktrees/coding-1')
    expect(agentBranch('coding-1')).toBe('autocoder/coding-1')
  })

  it.each(['', '.hidden', '-x', 'a/b', '..', 'a b', 'x'.repeat(65), 'a.lock'])(
    'refuses the agent id %j',
    (agentId) => {
      expect(() => assertAgentId(agentId)).toThrow(/not usable/)
    },
  )

  it.each(['coding-1', 'testing_2', 'A9'])('accepts the agent id %j', (agentId) => {
    expect(() => assertAgentId(agentId)).not.toThrow()
  })
})
