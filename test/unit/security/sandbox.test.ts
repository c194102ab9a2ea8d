import { describe, expect, it } from 'vitest'

import { detectSandbox, sandboxSettings } from '../../../src/security/index.js'

describe('sandboxSettings', () => {
  it('confines Bash writes to the worktree and project and never lets it leave the sandbox', () => {
    const settings = sandboxSettings({
      cwd: '/p/.autocoder/worktrees/a1',
      projectDir: '/p',
      homeDir: '/home/dev',
    })
    expect(settings).toMatchObject({
      enabled: true,
      allowUnsandboxedCommands: false,
      autoAllowBashIfSandboxed: false,
      filesystem: { allowWrite: ['/p/.autocoder/worktrees/a1', '/p'] },
    })
    expect(settings.filesystem?.denyRead).toEqual(
      expect.arrayContaining(['/home/dev/.ssh', '/home/dev/.aws', '/home/dev/.autocoder']),
    )
    expect(settings.network).toBeUndefined()
  })

  it('passes allowed network domains through when the caller names them', () => {
    const settings = sandboxSettings({ cwd: '/p', projectDir: '/p', allowedDomains: ['localhost'] })
    expect(settings.network).toEqual({ allowedDomains: ['localhost'], allowLocalBinding: true })
    expect(settings.filesystem?.allowWrite).toEqual(['/p'])
  })
})

describe('detectSandbox', () => {
  it('reports bubblewrap missing when it is not on the search path', () => {
    expect(detectSandbox('/nonexistent')).toMatchObject({
      available: false,
      bwrapPath: null,
      detail: expect.stringContaining('bubblewrap'),
    })
  })

  it('reports whether bwrap works on this machine, with the path it found', () => {
    const status = detectSandbox()
    if (status.bwrapPath === null) expect(status.available).toBe(false)
    else
      expect(status.detail).toContain(status.available ? 'bwrap works' : 'cannot create a sandbox')
  })
})
