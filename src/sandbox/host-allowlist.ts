import { isIP } from 'node:net'

import { err, ok } from '../core/index.js'
import type { AppError, Result } from '../core/index.js'

/** One entry of `allowedHosts`: `host`, `*.domain` (any subdomain) or either with `:port`. */
export interface HostPattern {
  host: string
  wildcard: boolean
  /** Null: any port; loopback and private addresses are then refused. */
  port: number | null
}

const LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/

function canonicalHost(host: string): string {
  const lower = host.toLowerCase().replace(/\.$/, '')
  return lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower
}

/** Parses one `allowedHosts` entry; a message that says what is wrong otherwise. */
export function parseHostPattern(entry: string): Result<HostPattern, AppError<'BAD_HOST'>> {
  const bad = (): Result<HostPattern, AppError<'BAD_HOST'>> =>
    err(
      'BAD_HOST',
      `allowed host ${JSON.stringify(entry)} is not "host", "*.domain", "host:port" or "[ipv6]:port".`,
    )
  let host = entry
  let port: number | null = null
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry)
  const withPort = /^([^:]+):(\d+)$/.exec(entry)
  if (bracketed) {
    host = bracketed[1] ?? ''
    if (bracketed[2] !== undefined) port = Number(bracketed[2])
  } else if (withPort) {
    host = withPort[1] ?? ''
    port = Number(withPort[2])
  }
  if (port !== null && (!Number.isInteger(port) || port < 1 || port > 65535)) return bad()
  host = canonicalHost(host)
  const wildcard = host.startsWith('*.')
  const name = wildcard ? host.slice(2) : host
  if (isIP(name) !== 0) return wildcard ? bad() : ok({ host: name, wildcard, port })
  const labels = name.split('.')
  if (name === '' || name.length > 253 || !labels.every((label) => LABEL.test(label))) return bad()
  return ok({ host: name, wildcard, port })
}

/** The patterns that let `host:port` through (empty: refused). */
export function matchingPatterns(
  patterns: readonly HostPattern[],
  host: string,
  port: number,
): HostPattern[] {
  const name = canonicalHost(host)
  return patterns.filter((pattern) => {
    if (pattern.port !== null && pattern.port !== port) return false
    if (pattern.wildcard) return name.endsWith(`.${pattern.host}`)
    return name === pattern.host
  })
}

function ipv4Private(address: string): boolean {
  const [a = 0, b = 0] = address.split('.').map(Number)
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  )
}

/**
 * Whether an address is loopback, private, link-local, shared, multicast or unspecified: places
 * on this machine or its network that a proxy for the outside world must not reach by default.
 */
export function isInternalAddress(address: string): boolean {
  const kind = isIP(address)
  if (kind === 4) return ipv4Private(address)
  if (kind !== 6) return true
  const lower = address.toLowerCase()
  const mapped = /^(?:0*:)*(?:0*:)?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)
  if (mapped?.[1] !== undefined) return ipv4Private(mapped[1])
  const first = Number.parseInt(lower.split(':')[0] || '0', 16)
  return (
    lower === '::' ||
    lower === '::1' ||
    lower.startsWith('::') || // ::/96 compatible and other embedded forms
    (first & 0xfe00) === 0xfc00 || // fc00::/7 unique local
    (first & 0xffc0) === 0xfe80 || // fe80::/10 link-local
    (first & 0xffc0) === 0xfec0 || // fec0::/10 site-local
    (first & 0xff00) === 0xff00 || // multicast
    first === 0x64 || // 64:ff9b::/96 NAT64 may reach private IPv4
    first === 0x2002 // 6to4 embeds IPv4
  )
}
