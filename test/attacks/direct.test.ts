// Attacks that are not an agent's Bash command: the server from a local client without its token
// (class 11), the stored API keys read by another user and their file modes (13), hostile lines to
// `autocoder mcp` over stdio (14).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { DirectOutcome } from './direct/direct-attack.js'
import { attackMcpStdio } from './direct/mcp-stdio.js'
import { attackSecretsAtRest } from './direct/secrets-at-rest.js'
import { attackServerAccess } from './direct/server-access.js'
import type { AttackWorld } from './world.js'
import { createAttackWorld } from './world.js'

let world: AttackWorld

beforeAll(async () => {
  world = await createAttackWorld({ features: ['direct attacks'] })
})

afterAll(async () => {
  await world[Symbol.asyncDispose]()
})

function expectAllContained(outcomes: readonly DirectOutcome[], cls: number): void {
  for (const outcome of outcomes) process.stdout.write(`${JSON.stringify(outcome)}\n`)
  expect(outcomes.length).toBeGreaterThanOrEqual(10)
  expect(outcomes.filter((outcome) => outcome.cls === cls && !outcome.contained)).toEqual([])
}

describe('direct attacks', () => {
  it('class 11: without the token every request gets 401 and every WebSocket is refused', async () => {
    expectAllContained(await attackServerAccess(world.server.url, world.projectName), 11)
  })

  it('class 13: the stored API keys are private to their owner', async () => {
    expectAllContained(await attackSecretsAtRest(), 13)
  })

  it('class 14: autocoder mcp answers hostile lines with JSON-RPC errors and goes on serving', async () => {
    expectAllContained(await attackMcpStdio(world.project, world.cliEnv('http://127.0.0.1:9')), 14)
  }, 120_000)
})
