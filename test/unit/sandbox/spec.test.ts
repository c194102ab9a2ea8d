import { describe, expect, it } from 'vitest'

import { insideEnv } from '../../../src/sandbox/inside-env.js'
import { registryHostOf } from '../../../src/sandbox/npm-registry.js'
import {
  enterCall,
  printfArgument,
  refusalText,
  shellQuote,
  validateSpec,
} from '../../../src/sandbox/spec.js'
import type { SandboxSpec } from '../../../src/sandbox/index.js'

const spec: SandboxSpec = {
  label: 'coding-1',
  writable: ['/srv/p/wt/'],
  readOnly: ['/srv/p/.git/config'],
  hidden: ['/srv/p/.autocoder'],
  allowedHosts: ['pkg.example.com', '127.0.0.1:4000'],
  env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' },
}

describe('validateSpec', () => {
  it('accepts a good spec and normalizes its paths', () => {
    const valid = validateSpec(spec)
    expect(valid.ok && valid.value.writable).toEqual(['/srv/p/wt'])
  })

  it.each<[string, Partial<SandboxSpec>, string]>([
    ['an empty label', { label: ' ' }, 'label'],
    ['a relative path', { writable: ['wt'] }, 'not an absolute path'],
    ['the root as writable', { writable: ['/'] }, 'root directory'],
    ['the root as hidden', { hidden: ['/'] }, 'root directory'],
    ['a URL as host', { allowedHosts: ['https://x.com'] }, 'is not "host"'],
    ['a bad variable name', { env: { 'A-B': 'x' } }, 'not valid'],
    ['a NUL in a value', { env: { A: 'x\0y' } }, 'NUL'],
    ['LD_PRELOAD', { env: { PATH: '/bin', LD_PRELOAD: '/w/x.so' } }, 'LD_PRELOAD would reach'],
    ['GCONV_PATH', { env: { GCONV_PATH: '/w' } }, 'GCONV_PATH would reach'],
  ])('refuses %s with SANDBOX_BAD_SPEC', (_name, change, message) => {
    const result = validateSpec({ ...spec, ...change })
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.code).toBe('SANDBOX_BAD_SPEC')
      expect(result.error.message).toContain(message)
    }
  })
})

describe('shell text', () => {
  it('quotes any word in single quotes', () => {
    expect(shellQuote("it's")).toBe("'it'\\''s'")
    expect(shellQuote('a\nb')).toBe("'a\nb'")
  })

  it('encodes a command for printf %b with no single quote in it', () => {
    expect(printfArgument(`it's a \\x27 'x'`)).toBe(`'it\\x27s a \\\\x27 \\x27x\\x27'`)
    expect(enterCall('l', '/r/enter', "a'b", '/w d')).toBe(
      `/bin/bash --norc --noprofile '/r/enter' '/w d' 'a\\x27b'`,
    )
    expect(enterCall('l', '/r/enter', 'a\0b', '/w')).toContain('NUL byte')
    expect(enterCall('l', '/r/enter', 'ls', 'w')).toContain('is not absolute')
  })

  it('turns a refusal into text that prints why and fails', () => {
    expect(refusalText('x', "can't")).toBe(
      "{ printf '%s\\n' 'autocoder sandbox x: can'\\''t' >&2; false; }",
    )
  })
})

describe('insideEnv', () => {
  it('keeps the spec, sets HOME, TMPDIR and every proxy variable, and leaves local addresses direct', () => {
    const env = insideEnv(
      { LANG: 'C', HOME: '/root', HTTP_PROXY: 'http://evil' },
      'http://127.0.0.1:3128',
      '/usr/bin',
    )
    expect(env).toMatchObject({
      LANG: 'C',
      PATH: '/usr/bin',
      HOME: '/tmp/home',
      TMPDIR: '/tmp',
      HTTP_PROXY: 'http://127.0.0.1:3128',
      https_proxy: 'http://127.0.0.1:3128',
      npm_config_https_proxy: 'http://127.0.0.1:3128',
      NO_PROXY: 'localhost,127.0.0.1,::1',
    })
  })
})

describe('registryHostOf', () => {
  it.each([
    ['https://pkg.example.com/', 'pkg.example.com'],
    ['http://127.0.0.1:4873/\n', '127.0.0.1:4873'],
    ['undefined', null],
    ['file:///x', null],
  ])('reads %j as %j', (url, host) => {
    expect(registryHostOf(url)).toBe(host)
  })
})
