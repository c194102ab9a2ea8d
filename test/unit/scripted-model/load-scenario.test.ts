import { describe, expect, it } from 'vitest'

import { compileTurns, parseScenario } from '../../../src/scripted-model/load-scenario.js'
import { planTurn } from '../../../src/scripted-model/plan-turn.js'

describe('parseScenario', () => {
  it('groups faults with the reply that follows them', () => {
    const parsed = parseScenario({
      name: 'faulty',
      turns: [
        { text: 'one' },
        { fault: 'rate_limit', retryAfter: 2 },
        { fault: 'slow', delayMs: 5 },
        { fault: 'drop' },
        { text: 'two' },
      ],
    })
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    expect(parsed.value.turns).toHaveLength(2)
    expect(parsed.value.turns[1]).toEqual({
      faults: [
        { fault: 'rate_limit', retryAfter: 2 },
        { fault: 'drop', afterEvents: 3 },
      ],
      delayMs: 5,
      reply: { text: 'two' },
    })
  })

  it('names the turn and field of every problem', () => {
    const parsed = parseScenario(
      { name: 'bad', turns: [{ text: 'ok' }, { fault: 'nope' }, { tools: [{ input: {} }] }, {}] },
      'bad.yaml',
    )
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect(parsed.error.code).toBe('SCENARIO_INVALID')
    expect(parsed.error.message).toContain('bad.yaml')
    expect(parsed.error.message).toContain('turns[1].fault')
    expect(parsed.error.message).toContain('turns[2].tools[0].name')
    expect(parsed.error.message).toContain(
      'turns[3]: a reply needs either "content" or at least one of',
    )
  })

  it('rejects a scenario without a name or turns', () => {
    const parsed = parseScenario({ turns: [] })
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect(parsed.error.message).toMatch(/scenario\.name/)
    expect(parsed.error.message).toMatch(/scenario\.turns/)
  })
})

describe('planTurn', () => {
  const [turn] = compileTurns([{ fault: 'overloaded' }, { fault: 'rate_limit' }, { text: 'ok' }])

  it('answers each attempt with the next fault, then with the reply', () => {
    expect(planTurn(turn, 0)).toEqual({ kind: 'fault', fault: { fault: 'overloaded' } })
    expect(planTurn(turn, 1)).toEqual({ kind: 'fault', fault: { fault: 'rate_limit' } })
    expect(planTurn(turn, 2)).toEqual({ kind: 'reply', reply: { text: 'ok' }, delayMs: 0 })
    expect(planTurn(turn, 3)).toEqual({ kind: 'reply', reply: { text: 'ok' }, delayMs: 0 })
  })

  it('reports a turn past the end of the script as exhausted', () => {
    expect(planTurn(undefined, 0)).toEqual({ kind: 'exhausted' })
    expect(planTurn(compileTurns([{ fault: 'drop', afterEvents: 3 }])[0], 1)).toEqual({
      kind: 'exhausted',
    })
  })
})
