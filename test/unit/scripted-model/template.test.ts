import { describe, expect, it } from 'vitest'

import { describeRequest, MessagesRequest } from '../../../src/scripted-model/model-request.js'
import { renderTemplate, TemplateError } from '../../../src/scripted-model/template.js'

const request = MessagesRequest.parse({
  model: 'claude-sonnet-4-5',
  system: [{ type: 'text', text: 'You are an agent. [[agent:coding-7]]' }],
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: ' - Primary working directory: /tmp/project\n' },
        {
          type: 'text',
          text: 'Implement features #12 and #15, then #12 again. [[scenario:batch]]',
        },
      ],
    },
    { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: {} }] },
    {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 't1',
          content: [{ type: 'text', text: 'built\n<system-reminder>noise</system-reminder>' }],
        },
      ],
    },
  ],
})
const context = {
  ...describeRequest(request, { 'x-claude-code-session-id': 'session-1' }),
  attempt: 0,
}

describe('describeRequest', () => {
  it('reads position, markers, feature ids, cwd and tool results from the request', () => {
    expect(context.position).toBe(1)
    expect(context.conversationId).toBe('session-1')
    expect(context.markers).toEqual({ agent: 'coding-7', scenario: 'batch' })
    expect(context.featureIds).toEqual([12, 15])
    expect(context.cwd).toBe('/tmp/project')
    expect(context.toolResults).toEqual([{ toolUseId: 't1', text: 'built', isError: false }])
  })
})

describe('renderTemplate', () => {
  it('keeps the type of a value that is a whole string and joins it inside text', () => {
    expect(
      renderTemplate(
        { feature_id: '{{featureId}}', ids: '{{featureIds}}', path: '{{cwd}}/a.txt' },
        context,
      ),
    ).toEqual({
      feature_id: 12,
      ids: [12, 15],
      path: '/tmp/project/a.txt',
    })
    expect(
      renderTemplate(
        'work on {{featureIds}} ({{featureIds.1}}) as {{marker.agent}}: {{toolResult}}',
        context,
      ),
    ).toBe('work on 12,15 (15) as coding-7: built')
  })

  it('throws a TemplateError naming an unknown placeholder', () => {
    expect(() => renderTemplate('{{nope}}', context)).toThrow(TemplateError)
    expect(() => renderTemplate('{{featureIds.9}}', context)).toThrow(/featureIds\.9/)
  })
})

describe('describeRequest with system messages inside messages', () => {
  it('accepts role "system" messages, reads them as system text and does not count them as turns', () => {
    const inline = MessagesRequest.parse({
      model: 'unknown-model',
      messages: [
        { role: 'user', content: '[[scenario:x]] go' },
        { role: 'system', content: [{ type: 'text', text: ' - Primary working directory: /w' }] },
      ],
    })
    const view = describeRequest(inline, {})
    expect(view).toMatchObject({ position: 0, cwd: '/w', markers: { scenario: 'x' } })
  })
})
