/**
 * Several processes claim features from one database at once for a few seconds. Invariant: no
 * feature is ever held by two owners at the same time (hold intervals never overlap), no feature is
 * lost (all end pending or held), and leases of a worker that stops heartbeating come back.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { ProjectStore } from '../../../src/store/index.js'
import { tsxLoader } from '../../helpers/cli.js'
import { tempDir } from '../../helpers/tmp.js'

interface Entry {
  owner: string
  op: 'claim' | 'release' | 'hold' | 'die' | 'revive'
  f?: number
  at?: number
  until?: number
}

function runWorker(
  projectDir: string,
  owner: string,
  durationMs: number,
  leaseMs: number,
): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [
      '--import',
      tsxLoader,
      join(import.meta.dirname, 'claim-worker.ts'),
      projectDir,
      owner,
      String(durationMs),
      String(leaseMs),
    ])
    let out = ''
    let errText = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (errText += chunk.toString()))
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`worker ${owner} failed: ${errText}`))
      else
        resolve(
          out
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as Entry),
        )
    })
  })
}

describe('claims under contention', () => {
  it('never lets two owners hold one feature, loses none, and returns expired leases', async () => {
    using dir = tempDir()
    const store = ProjectStore.open(dir.path)
    if (!store.ok) throw new Error(store.error.message)
    store.value.features.create(
      Array.from({ length: 12 }, (_, i) => ({
        category: 'c',
        name: `f${i}`,
        description: '',
        steps: [],
        dependencies: [],
      })),
      { by: 'test' },
    )
    store.value.close()

    const leaseMs = 150
    const logs = (
      await Promise.all(
        ['w1', 'w2', 'w3', 'w4'].map((owner) => runWorker(dir.path, owner, 3000, leaseMs)),
      )
    ).flat()

    // Reconstruct each owner's hold intervals per feature: from the claim to the release or the last
    // known lease end, whichever came first.
    const intervals = new Map<number, Array<{ owner: string; start: number; end: number }>>()
    const open = new Map<string, { owner: string; start: number; end: number }>()
    const byOwner = new Map<string, Entry[]>()
    for (const entry of logs) byOwner.set(entry.owner, [...(byOwner.get(entry.owner) ?? []), entry])
    for (const [owner, entries] of byOwner) {
      for (const entry of entries) {
        const key = `${owner}:${entry.f}`
        if (entry.op === 'claim') {
          const current = open.get(key)
          if (current && current.end >= entry.at!) {
            current.end = Math.max(current.end, entry.until!)
            continue
          }
          const interval = { owner, start: entry.at!, end: entry.until! }
          open.set(key, interval)
          intervals.set(entry.f!, [...(intervals.get(entry.f!) ?? []), interval])
        } else if (entry.op === 'hold') {
          const current = open.get(key)
          if (current) current.end = Math.max(current.end, entry.until!)
        } else if (entry.op === 'release') {
          const current = open.get(key)
          if (current) current.end = Math.min(current.end, entry.at!)
          open.delete(key)
        }
      }
    }
    let checked = 0
    for (const [feature, list] of intervals) {
      const sorted = [...list].sort((a, b) => a.start - b.start)
      for (let i = 1; i < sorted.length; i++) {
        const previous = sorted[i - 1]!
        const current = sorted[i]!
        if (previous.owner === current.owner) continue
        checked++
        expect(
          current.start,
          `feature ${feature}: ${current.owner} claimed while ${previous.owner} held it`,
        ).toBeGreaterThanOrEqual(previous.end)
      }
    }
    expect(checked).toBeGreaterThan(20)
    expect(logs.some((e) => e.op === 'die')).toBe(true)

    const after = ProjectStore.open(dir.path)
    if (!after.ok) throw new Error(after.error.message)
    const expiredTakeovers = after.value.events
      .after(0, 100_000)
      .filter((e) => e.type === 'feature.released' && e.reason === 'lease expired')
    expect(expiredTakeovers.length).toBeGreaterThan(0)
    await new Promise((resolve) => setTimeout(resolve, leaseMs + 20))
    after.value.claims.reclaimExpired()
    const final = after.value.features.list()
    expect(final).toHaveLength(12)
    expect(final.every((f) => f.state === 'pending')).toBe(true)
    expect(after.value.claims.list()).toEqual([])
    after.value.close()
  }, 30_000)
})
