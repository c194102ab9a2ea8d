// A run whose agent plants programs in the repository (as one that got past the policy would):
// fsmonitor, hooks, filter and merge drivers in .git/config, attributes that name them in its
// worktree. The orchestrator restores the repository after the agent's session, says so in a
// `git.restored` event, and the merge and its check run none of the planted programs.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { systemClock } from '../../../src/core/clock.js'
import { unwrap } from '../../../src/core/result.js'
import { ProjectStore } from '../../../src/store/index.js'
import { honestAgent, simLauncher } from '../../fakes/sim-launcher.js'
import { tempDir } from '../../helpers/tmp.js'
import { gitSync } from '../workspace/fixture.js'
import { createBoard, initProject, runWithGit } from './real-run.js'

let dir: { path: string } & Disposable
let outside: { path: string } & Disposable
let store: ProjectStore

beforeEach(() => {
  dir = tempDir('autocoder-guard-run-')
  outside = tempDir('autocoder-canary-')
  initProject(dir.path)
  store = unwrap(ProjectStore.open(dir.path))
})

afterEach(() => {
  store.close()
  dir[Symbol.dispose]()
  outside[Symbol.dispose]()
})

describe('a run whose agent plants programs in the repository', () => {
  it('restores the repository after the session and merges without running any of them', async () => {
    const canary = join(outside.path, 'ran')
    const program = join(outside.path, 'planted.sh')
    writeFileSync(program, `#!/bin/sh\necho "$0 $*" >> ${canary}\ncat\n`)
    chmodSync(program, 0o755)
    createBoard(
      store,
      1,
      () => [],
      () => 'c',
    )
    const configBefore = readFileSync(join(dir.path, '.git', 'config'), 'utf8')
    const launcher = simLauncher({
      store,
      clock: systemClock,
      act: (assignment, agentStore) => {
        gitSync(dir.path, 'config', 'core.fsmonitor', program)
        gitSync(dir.path, 'config', 'filter.planted.clean', program)
        gitSync(dir.path, 'config', 'filter.planted.smudge', program)
        gitSync(dir.path, 'config', 'merge.planted.driver', `${program} %O %A %B`)
        const hook = join(dir.path, '.git', 'hooks', 'post-checkout')
        writeFileSync(hook, `#!/bin/sh\necho hook >> ${canary}\n`)
        chmodSync(hook, 0o755)
        writeFileSync(join(assignment.cwd, '.gitattributes'), '* filter=planted merge=planted\n')
        for (const id of assignment.featureIds)
          writeFileSync(join(assignment.cwd, `feature-${id}.txt`), `feature ${id}\n`)
        honestAgent(assignment, agentStore)
      },
    })
    const { report, events } = await runWithGit(store, dir.path, launcher)
    expect(report.reason).toBe('complete')
    expect(store.features.get(1)?.state).toBe('passing')
    expect(existsSync(join(dir.path, 'feature-1.txt'))).toBe(true)
    const restored = events.filter((event) => event.type === 'git.restored')
    expect(restored[0]).toMatchObject({
      paths: expect.arrayContaining(['.git/config', '.git/hooks/post-checkout']),
      when: expect.stringContaining('after a session of'),
    })
    expect(readFileSync(join(dir.path, '.git', 'config'), 'utf8')).toBe(configBefore)
    expect(existsSync(canary) ? readFileSync(canary, 'utf8') : '').toBe('')
  })
})
