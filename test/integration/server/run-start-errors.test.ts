// A run whose workspace cannot be prepared answers the start request with the failure's own code
// (GIT_FAILED is the server's side: 500), releases the project and records the code, instead of
// a 201 for a run that then ends in an uncoded error.
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { ok } from '../../../src/core/index.js'
import { gitWorkspace } from '../../../src/orchestrator/index.js'
import { ProjectStore } from '../../../src/store/index.js'
import { simParts, startHarness } from './app-harness.js'

describe('run start', () => {
  it('answers GIT_FAILED (500) when git cannot prepare the workspace, and the project stays free', async () => {
    const sim = simParts()
    await using h = await startHarness({
      // Simulated agents, but the real git workspace, so that its preparation really runs.
      runParts: async (input) => {
        const parts = await sim(input)
        if (!parts.ok) return parts
        return ok({
          ...parts.value,
          workspace: gitWorkspace({ projectDir: input.open.project.path }),
        })
      },
    })
    const projectDir = join(h.root, 'app')
    expect(
      (await h.request('POST', '/api/projects', { name: 'app', path: projectDir })).status,
    ).toBe(201)
    // A broken repository: `.git` is a file that points nowhere, so every git command fails.
    rmSync(join(projectDir, '.git'), { recursive: true, force: true })
    writeFileSync(join(projectDir, '.git'), 'not a gitdir\n')

    const started = await h.request('POST', '/api/projects/app/run/start', { yolo: true })
    expect(started.status).toBe(500)
    expect(started.json.error.code).toBe('GIT_FAILED')
    expect(started.json.error.message).toContain('invalid gitfile format')

    const status = await h.request('GET', '/api/projects/app/run')
    expect(status.json).toMatchObject({ owner: 'none', lastRun: { reason: 'error' } })
    // The lock was released: a second start fails the same way, not with PROJECT_LOCKED.
    const again = await h.request('POST', '/api/projects/app/run/start', { yolo: true })
    expect([again.status, again.json.error.code]).toEqual([500, 'GIT_FAILED'])

    const store = ProjectStore.open(projectDir)
    if (!store.ok) throw new Error(store.error.message)
    using _ = store.value
    const finished = store.value.events.after(0, 1_000).filter((e) => e.type === 'run.finished')
    expect(finished.map((event) => event.code)).toEqual(['GIT_FAILED', 'GIT_FAILED'])
  })
})
