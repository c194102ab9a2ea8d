import { describe, expect, it } from 'vitest'

import {
  isInternalAddress,
  matchingPatterns,
  parseHostPattern,
} from '../../../src/sandbox/host-allowlist.js'
import type { HostPattern } from '../../../src/sandbox/host-allowlist.js'

function patterns(...entries: string[]): HostPattern[] {
  return entries.map((entry) => {
    const parsed = parseHostPattern(entry)
    if (!parsed.ok) throw new Error(parsed.error.message)
    return parsed.value
  })
}

describe('parseHostPattern', () => {
  it.each([
    ['pkg.example.com', { host: 'pkg.example.com', wildcard: false, port: null }],
    ['PKG.Example.COM.', { host: 'pkg.example.com', wildcard: false, port: null }],
    ['*.example.com', { host: 'example.com', wildcard: true, port: null }],
    ['127.0.0.1:4000', { host: '127.0.0.1', wildcard: false, port: 4000 }],
    ['[::1]:8080', { host: '::1', wildcard: false, port: 8080 }],
    ['localhost:3000', { host: 'localhost', wildcard: false, port: 3000 }],
  ])('reads %s', (entry, expected) => {
    expect(parseHostPattern(entry)).toEqual({ ok: true, value: expected })
  })

  it.each([
    '',
    'http://x.com',
    'x.com/path',
    'a b',
    'x.com:0',
    'x.com:70000',
    '*.1.2.3.4',
    '*',
    'x..com',
    '-x.com',
  ])('refuses %j with a message that shows the accepted forms', (entry) => {
    const parsed = parseHostPattern(entry)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.error.message).toContain('"host:port"')
  })
})

describe('matchingPatterns', () => {
  const list = patterns('pkg.example.com', '*.cdn.example.net', '127.0.0.1:4000')

  it('matches listed hosts on any port, subdomains of wildcards, and host:port exactly', () => {
    expect(matchingPatterns(list, 'pkg.example.com', 443)).toHaveLength(1)
    expect(matchingPatterns(list, 'PKG.EXAMPLE.COM.', 80)).toHaveLength(1)
    expect(matchingPatterns(list, 'a.b.cdn.example.net', 443)).toHaveLength(1)
    expect(matchingPatterns(list, '127.0.0.1', 4000)).toHaveLength(1)
  })

  it('matches nothing else: other hosts, suffix tricks, the wildcard apex, other ports, other spellings', () => {
    expect(matchingPatterns(list, 'evil.com', 443)).toEqual([])
    expect(matchingPatterns(list, 'pkg.example.com.evil.com', 443)).toEqual([])
    expect(matchingPatterns(list, 'xpkg.example.com', 443)).toEqual([])
    expect(matchingPatterns(list, 'cdn.example.net', 443)).toEqual([])
    expect(matchingPatterns(list, 'evilcdn.example.net', 443)).toEqual([])
    expect(matchingPatterns(list, '127.0.0.1', 4001)).toEqual([])
    expect(matchingPatterns(list, '127.000.000.001', 4000)).toEqual([])
    expect(matchingPatterns(list, 'localhost', 4000)).toEqual([])
  })
})

describe('isInternalAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '64:ff9b::a00:1',
    '2002:7f00:1::',
    'not-an-address',
  ])('treats %s as internal', (address) => {
    expect(isInternalAddress(address)).toBe(true)
  })

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '192.169.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
  ])('treats %s as public', (address) => {
    expect(isInternalAddress(address)).toBe(false)
  })
})
