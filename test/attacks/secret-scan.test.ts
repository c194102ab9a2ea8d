// The detector the attack suite relies on: a secret is found however it is encoded and wherever a
// file changed, though only the changed parts of files are searched again.
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { FileSecretScanner, secretsIn } from './secret-scan.js'

const key = { name: 'ssh key', value: 'CANARYq7Wz3KpLx9Vb2Nc4Md8Rf6Tg1Hy5Ju0' }
const token = { name: 'npm token', value: 'CANARYAa1Bb2Cc3Dd4Ee5Ff6Gg7Hh8Ii9Jj0K' }
const secrets = [key, token]

describe('secretsIn', () => {
  it('finds a secret raw, in part, reversed, in hex and in wrapped base64', () => {
    expect(secretsIn(`x ${key.value} y`, secrets)).toEqual(['ssh key'])
    expect(secretsIn(key.value.slice(3, -3), secrets)).toEqual(['ssh key'])
    expect(secretsIn([...token.value].reverse().join(''), secrets)).toEqual(['npm token'])
    expect(secretsIn(Buffer.from(token.value).toString('hex'), secrets)).toEqual(['npm token'])
    for (const prefix of ['', 'a', 'ab']) {
      const wrapped = Buffer.from(`${prefix}${key.value}${token.value}`)
        .toString('base64')
        .replace(/(.{20})/g, '$1\n')
      expect(secretsIn(wrapped, secrets)).toEqual(['ssh key', 'npm token'])
    }
    expect(secretsIn('CANARY and nothing else', secrets)).toEqual([])
  })
})

describe('FileSecretScanner', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'secret-scan-'))
  })
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  const scan = (scanner: FileSecretScanner, path: string): string[] => {
    const stat = statSync(path)
    return scanner.scan(path, stat.size, `${stat.size}:${stat.mtimeMs}:${stat.ino}`)
  }

  it('finds a secret written into the middle of a small file', () => {
    const path = join(dir, 'small.db')
    const scanner = new FileSecretScanner(secrets)
    writeFileSync(path, Buffer.alloc(100_000, 'a'))
    expect(scan(scanner, path)).toEqual([])
    const changed = Buffer.alloc(100_000, 'a')
    changed.write(key.value, 50_000, 'latin1')
    writeFileSync(path, changed)
    expect(scan(scanner, path)).toEqual(['ssh key'])
  })

  it('finds a secret appended to a large file, and one written after its head changed', () => {
    const path = join(dir, 'journal-wal')
    const scanner = new FileSecretScanner(secrets)
    writeFileSync(path, Buffer.alloc(1_000_000, 'h'))
    expect(scan(scanner, path)).toEqual([])
    appendFileSync(path, `frame ${key.value} frame`)
    expect(scan(scanner, path)).toEqual(['ssh key'])
    // A journal starting again: a new header, the same size, the secret in the middle.
    const again = Buffer.alloc(1_000_000, 'h')
    again.write('new header', 0, 'latin1')
    again.write(token.value, 400_000, 'latin1')
    writeFileSync(path, again)
    expect(scan(scanner, path)).toEqual(['ssh key', 'npm token'])
  })
})
