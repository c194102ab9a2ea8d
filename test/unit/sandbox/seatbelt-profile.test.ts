/**
 * The macOS profile is only text here (this project runs on Linux): these tests pin what it
 * allows and denies, and that later rules (which win in SBPL) are the narrowing ones.
 */
import { describe, expect, it } from 'vitest'

import { sbplString, seatbeltProfile } from '../../../src/sandbox/seatbelt-profile.js'

const profile = seatbeltProfile({
  writable: ['/Users/dev/p/wt'],
  readOnly: ['/Users/dev/p/.git/config', '/Users/dev/p/.git/hooks'],
  hidden: ['/Users/dev/.autocoder', '/Users/dev/p/.autocoder'],
  home: '/Users/dev',
  privateTmp: '/private/var/folders/x/T/autocoder-sandbox-1/tmp',
  proxyPort: 51234,
  localPorts: [3000],
})
const lines = profile.trim().split('\n')
const index = (prefix: string): number => lines.findIndex((line) => line.startsWith(prefix))

describe('seatbeltProfile', () => {
  it('denies by default and allows running programs and signalling only its own processes', () => {
    expect(lines.slice(0, 2)).toEqual(['(version 1)', '(deny default)'])
    expect(lines).toContain('(allow signal (target same-sandbox))')
    expect(profile).not.toMatch(/\(allow signal\)/)
    expect(profile).not.toContain('(allow default)')
  })

  it('hides the home but for the worktree, and hidden paths after that', () => {
    const home = index('(deny file-read* (subpath "/Users/dev"))')
    const worktree = lines.findIndex(
      (line) => line.startsWith('(allow file-read*') && line.includes('"/Users/dev/p/wt"'),
    )
    const hidden = index('(deny file-read* (subpath "/Users/dev/.autocoder")')
    expect(home).toBeGreaterThan(index('(allow file-read*)'))
    expect(worktree).toBeGreaterThan(home)
    expect(hidden).toBeGreaterThan(worktree)
    expect(lines[hidden]).toContain('(subpath "/Users/dev/p/.autocoder")')
  })

  it('writes only the worktree and the private temp folder, never the read-only paths', () => {
    const writes = lines.filter((line) => line.startsWith('(allow file-write*'))
    expect(writes).toEqual([
      '(allow file-write* (subpath "/Users/dev/p/wt") (subpath "/private/var/folders/x/T/autocoder-sandbox-1/tmp"))',
    ])
    const readOnly = index('(deny file-write* (subpath "/Users/dev/p/.git/config")')
    expect(readOnly).toBeGreaterThan(index('(allow file-write*'))
    expect(index('(deny file-write* (subpath "/Users/dev/.autocoder")')).toBeGreaterThan(readOnly)
  })

  it('reaches only the proxy and its own local ports, and no DNS', () => {
    const outbound = lines.filter((line) => line.startsWith('(allow network-outbound'))
    expect(outbound).toEqual([
      '(allow network-outbound (remote ip "localhost:51234") (remote ip "localhost:3000"))',
    ])
    expect(profile).not.toContain('mDNSResponder')
    expect(profile).not.toMatch(/\(allow network\*?\)/)
  })

  it('escapes quotes and backslashes in paths', () => {
    expect(sbplString('/a "b"\\c')).toBe('"/a \\"b\\"\\\\c"')
    const odd = seatbeltProfile({
      writable: ['/x/"); (allow default) ("'],
      readOnly: [],
      hidden: [],
      home: '/h',
      privateTmp: '/t',
      proxyPort: 1,
      localPorts: [],
    })
    expect(odd).not.toContain('(allow default)\n')
    expect(odd).toContain('"/x/\\"); (allow default) (\\""')
  })
})
