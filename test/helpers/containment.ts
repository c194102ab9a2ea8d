// The containment of a scratch project for tests: nothing of the machine's registry or npm config,
// the caller's PATH, a temporary AUTOCODER_HOME. Real sandboxes (bubblewrap) open over it.
import { join } from 'node:path'

import { openAgentSandbox } from '../../src/agents/index.js'
import { unwrap } from '../../src/core/result.js'
import type { Sandbox } from '../../src/sandbox/index.js'
import { projectContainment } from '../../src/security/index.js'
import type { ContainmentInput, ProjectContainment } from '../../src/security/index.js'

export function testContainment(
  projectDir: string,
  over: Partial<ContainmentInput> = {},
): ProjectContainment {
  return projectContainment({
    projectDir,
    autocoderHome: join(projectDir, '..', 'autocoder-home'),
    homes: [],
    otherProjects: [],
    registryHost: null,
    extraHosts: [],
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    gitIdentity: { name: 'autocoder test', email: 'test@localhost' },
    unsandboxed: false,
    ...over,
  })
}

/** An agent's sandbox over `checkout` (default the project): close it after the test. */
export async function openTestSandbox(
  projectDir: string,
  checkout: string = projectDir,
  over: Partial<ContainmentInput> = {},
): Promise<Sandbox> {
  return unwrap(await openAgentSandbox(testContainment(projectDir, over), 'test-agent', checkout))
}
