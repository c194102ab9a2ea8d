import { describe, expect, it } from 'vitest'

import { planMounts } from '../../../src/sandbox/mount-plan.js'
import type { MountPlanInput, PathKind } from '../../../src/sandbox/mount-plan.js'

const base: MountPlanInput = {
  writable: [],
  readOnly: [],
  hidden: [],
  home: '/home/dev',
  privateTmp: '/tmp/sbx/tmp',
  networkDir: '/tmp/sbx/net',
  networkDirInside: '/run/autocoder-sandbox',
  emptyFile: '/tmp/sbx/empty',
}

function kinds(map: Record<string, PathKind>): (path: string) => PathKind {
  return (path) => map[path] ?? 'missing'
}

/** The bwrap options as [option, ...operands] groups, for readable assertions. */
function groups(args: readonly string[]): string[] {
  const arity: Record<string, number> = {
    '--ro-bind': 2,
    '--bind': 2,
    '--dev': 1,
    '--proc': 1,
    '--tmpfs': 1,
    '--perms': 1,
    '--remount-ro': 1,
  }
  const out: string[] = []
  for (let i = 0; i < args.length;) {
    const option = args[i] ?? ''
    const count = arity[option]
    if (count === undefined) throw new Error(`unexpected ${option}`)
    out.push([option, ...args.slice(i + 1, i + 1 + count)].join(' '))
    i += 1 + count
  }
  return out
}

describe('planMounts', () => {
  it('starts from a read-only host with fresh /dev, /proc, /run, a private /tmp and the home hidden', () => {
    const plan = groups(planMounts(base, kinds({ '/home/dev': 'dir' })))
    expect(plan).toEqual([
      '--ro-bind / /',
      '--dev /dev',
      '--proc /proc',
      '--tmpfs /run',
      '--bind /tmp/sbx/tmp /tmp',
      '--perms 0555',
      '--tmpfs /home/dev',
      '--ro-bind /tmp/sbx/net /run/autocoder-sandbox',
      '--remount-ro /home/dev',
    ])
  })

  it('binds a worktree under the hidden home back, after the home is hidden', () => {
    const plan = groups(
      planMounts(
        { ...base, writable: ['/home/dev/p/wt'] },
        kinds({ '/home/dev': 'dir', '/home/dev/p/wt': 'dir' }),
      ),
    )
    expect(plan.indexOf('--tmpfs /home/dev')).toBeLessThan(
      plan.indexOf('--bind /home/dev/p/wt /home/dev/p/wt'),
    )
  })

  it('puts read-only paths over writable ones and hides what lies inside writable ones', () => {
    const plan = groups(
      planMounts(
        {
          ...base,
          writable: ['/srv/p'],
          readOnly: ['/srv/p/.git/config', '/srv/p/.git/hooks'],
          hidden: ['/srv/p/.autocoder', '/srv/p/.env'],
        },
        kinds({
          '/srv/p': 'dir',
          '/srv/p/.git': 'dir',
          '/srv/p/.git/config': 'file',
          '/srv/p/.autocoder': 'dir',
          '/srv/p/.env': 'file',
        }),
      ),
    )
    const at = (text: string): number => plan.indexOf(text)
    expect(at('--bind /srv/p /srv/p')).toBeGreaterThan(-1)
    expect(at('--ro-bind /srv/p/.git/config /srv/p/.git/config')).toBeGreaterThan(
      at('--bind /srv/p /srv/p'),
    )
    // .git/hooks is missing but its parent exists: an empty read-only directory keeps it from being made.
    expect(at('--tmpfs /srv/p/.git/hooks')).toBeGreaterThan(at('--bind /srv/p /srv/p'))
    expect(plan).toContain('--remount-ro /srv/p/.git/hooks')
    expect(at('--tmpfs /srv/p/.autocoder')).toBeGreaterThan(at('--bind /srv/p /srv/p'))
    expect(plan).toContain('--ro-bind /tmp/sbx/empty /srv/p/.env')
  })

  it('never binds a read-only path that lies inside a hidden one (that would show it)', () => {
    const plan = planMounts(
      { ...base, readOnly: ['/home/dev/.ssh/config'], hidden: ['/home/dev/.ssh'] },
      kinds({ '/home/dev': 'dir', '/home/dev/.ssh': 'dir', '/home/dev/.ssh/config': 'file' }),
    )
    expect(plan.join(' ')).not.toContain('/home/dev/.ssh/config')
  })

  it('lets hidden win over writable and read-only at the same path, and skips missing ones', () => {
    const plan = groups(
      planMounts(
        { ...base, writable: ['/srv/x'], readOnly: ['/srv/x'], hidden: ['/srv/x', '/srv/gone'] },
        kinds({ '/srv/x': 'dir', '/srv': 'dir' }),
      ),
    )
    const last = plan.filter((group) => group.endsWith(' /srv/x') && !group.startsWith('--remount'))
    expect(last.at(-1)).toBe('--tmpfs /srv/x')
    expect(plan.join(' ')).not.toContain('/srv/gone')
  })

  it('remounts every hidden directory read-only at the very end', () => {
    const args = planMounts(
      { ...base, hidden: ['/srv/a', '/srv/b'] },
      kinds({ '/home/dev': 'dir', '/srv/a': 'dir', '/srv/b': 'dir' }),
    )
    expect(args.slice(-6)).toEqual([
      '--remount-ro',
      '/home/dev',
      '--remount-ro',
      '/srv/a',
      '--remount-ro',
      '/srv/b',
    ])
  })
})
