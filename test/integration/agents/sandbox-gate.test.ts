// No silent downgrade: the gate every unattended run passes (`run`, `run --agent`, `demo`, server
// runs) refuses where the sandbox cannot start, with the fix and how to accept the risk, and lets
// agents run unconfined only when a person accepted that explicitly.
import { describe, expect, it } from 'vitest'

import { sandboxGate } from '../../../src/agents/index.js'
import { probeSandbox } from '../../../src/sandbox/index.js'
import { skipReason } from '../sandbox/helpers.js'

/** A machine without bubblewrap and socat: the real probe, looking where nothing is installed. */
const missingTools = () => probeSandbox({ searchPath: '/nonexistent' })

describe('the sandbox gate of unattended runs', () => {
  it('refuses without a working sandbox, naming the fix and the explicit way to accept the risk', async () => {
    const gate = await sandboxGate(false, missingTools)
    expect(gate.ok).toBe(false)
    if (gate.ok) return
    expect(gate.error.code).toBe('SANDBOX_UNAVAILABLE')
    expect(gate.error.message).toContain('apt-get install bubblewrap socat')
    expect(gate.error.message).toContain('--unsandboxed')
    expect(gate.error.message).toContain('unsandboxed=true')
  })

  it('runs unsandboxed only when a person accepted the risk', async () => {
    expect(await sandboxGate(true, missingTools)).toEqual({ ok: true, value: 'unsandboxed' })
  })

  it.skipIf(skipReason !== null)('answers the working sandbox where there is one', async () => {
    expect(await sandboxGate(false)).toEqual({ ok: true, value: 'bubblewrap' })
  })
})
