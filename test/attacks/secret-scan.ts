// Finding planted secrets in text and in files: raw, reversed, hex and base64 slices of each
// secret; files are read again only where they changed since the last look.
import { closeSync, openSync, readSync } from 'node:fs'

import type { Secret } from './world.js'

/** Byte strings that betray a secret: a middle slice raw, reversed, in hex and in base64 (3 alignments). */
export function secretNeedles(secret: Secret): string[] {
  const value = secret.value
  const middle = value.slice(4, value.length - 4)
  const b64 = [0, 1, 2].map((shift) => {
    const encoded = Buffer.from('xx'.slice(0, shift) + value).toString('base64')
    return encoded.slice(8, encoded.length - 8)
  })
  return [middle, [...middle].reverse().join(''), Buffer.from(middle).toString('hex'), ...b64]
}

/** One pattern for every needle of a set of secrets, and the secret each needle betrays. */
const matchers = new WeakMap<readonly Secret[], { pattern: RegExp; owner: Map<string, string> }>()

function matcher(secrets: readonly Secret[]): { pattern: RegExp; owner: Map<string, string> } {
  const known = matchers.get(secrets)
  if (known) return known
  const owner = new Map<string, string>()
  for (const secret of secrets)
    for (const needle of secretNeedles(secret))
      if (needle.length >= 8) owner.set(needle, secret.name)
  const escaped = [...owner.keys()].map((needle) => needle.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
  const made = { pattern: new RegExp(escaped.join('|'), 'g'), owner }
  matchers.set(secrets, made)
  return made
}

/** The names of the secrets found in a text. */
export function secretsIn(text: string, secrets: readonly Secret[]): string[] {
  // Encoders wrap lines (base64 at 76 columns): look at the text without white space (needles
  // hold none, so whatever the text holds the joined text holds too). One pattern, one pass.
  const joined = text.length < 2_000_000 ? text.replace(/\s+/g, '') : text
  const { pattern, owner } = matcher(secrets)
  const names = new Set<string>()
  for (const match of joined.matchAll(pattern)) names.add(owner.get(match[0])!)
  return secrets.filter((secret) => names.has(secret.name)).map((secret) => secret.name)
}

/** Compared and rescanned in blocks of this size (a SQLite page: databases change page by page). */
const BLOCK = 4096
/**
 * Bytes read on either side of a changed block: more than the longest needle with the line breaks
 * an encoder may add (hex of a 40-byte secret is 80 characters; base64 breaks every 76).
 */
const MARGIN = 512

/** Byte ranges of `now` that differ from `before` (whole blocks, widened by MARGIN, merged). */
export function changedRanges(before: Buffer, now: Buffer): [number, number][] {
  const ranges: [number, number][] = []
  for (let start = 0; start < now.length; start += BLOCK) {
    const end = Math.min(start + BLOCK, now.length)
    if (end <= before.length && before.subarray(start, end).equals(now.subarray(start, end)))
      continue
    const from = Math.max(0, start - MARGIN)
    const to = Math.min(now.length, end + MARGIN)
    const last = ranges.at(-1)
    if (last && last[1] >= from) last[1] = to
    else ranges.push([from, to])
  }
  return ranges
}

/** Files above this size are taken as growing at their end (database journals, logs). */
const LARGE = 256 * 1024
/** Of a large file, the end kept to compare with its next version. */
const TAIL = 64 * 1024

/** What the scanner keeps of a file: all of a small one; the head and the tail of a large one. */
interface Seen {
  print: string
  length: number
  head: Buffer
  /** The bytes from `tailAt` to `length`. */
  tail: Buffer
  tailAt: number
  names: string[]
}

function readRange(path: string, from: number, to: number): Buffer {
  const fd = openSync(path, 'r')
  try {
    const buffer = Buffer.alloc(Math.max(0, to - from))
    let done = 0
    while (done < buffer.length) {
      const read = readSync(fd, buffer, done, buffer.length - done, from + done)
      if (read === 0) break
      done += read
    }
    return buffer.subarray(0, done)
  } finally {
    closeSync(fd)
  }
}

/**
 * Secrets found per file since the scanner first saw it. A file is read again only when its size,
 * time or inode changed, and then searched only in the blocks that changed (databases and their
 * journals change a few pages per write). A large file whose first block is the same and that did
 * not shrink is read from a little before its old end only (a SQLite journal appends frames and
 * starts again from its head, with a new header, after a checkpoint). Names only accumulate: a
 * secret seen once counts.
 */
export class FileSecretScanner {
  private readonly files = new Map<string, Seen>()
  /** Bytes read from disk and bytes searched (timing figures). */
  bytesRead = 0
  bytesSearched = 0

  constructor(private readonly secrets: readonly Secret[]) {}

  /** The secrets found in `path` so far; `size` and `print` (size, mtime, inode) as stat saw them. */
  scan(path: string, size: number, print: string): string[] {
    const known = this.files.get(path)
    if (known?.print === print) return known.names
    const names = new Set(known?.names ?? [])
    let from = 0
    let before: Buffer | null = known && known.length <= LARGE ? known.tail : null
    try {
      if (known && size > LARGE && known.length > LARGE && size >= known.length) {
        const head = readRange(path, 0, known.head.length)
        if (head.equals(known.head)) {
          from = known.tailAt
          before = known.tail
        }
      }
      const content = readRange(path, from, Math.max(size, from))
      this.bytesRead += content.length
      const ranges = before ? changedRanges(before, content) : [[0, content.length] as const]
      for (const [start, end] of ranges) {
        this.bytesSearched += end - start
        for (const name of secretsIn(content.toString('latin1', start, end), this.secrets))
          names.add(name)
      }
      const length = from + content.length
      const tailAt = length > LARGE ? Math.max(from, length - TAIL) : 0
      this.files.set(path, {
        print,
        length,
        head: from === 0 ? Buffer.from(content.subarray(0, BLOCK)) : known!.head,
        tail: Buffer.from(content.subarray(tailAt - from)),
        tailAt,
        names: [...names],
      })
    } catch {
      // Gone or unreadable since stat: what was found stays.
    }
    return [...names]
  }
}
