/**
 * A worker for the claim concurrency test: claims random features from a shared project database
 * for a while, logging what it holds (as JSON lines on stdout). Sometimes it releases, sometimes it
 * "dies" (stops heartbeating) so its leases expire and others take over.
 */
import { ProjectStore } from '../../../src/store/index.js'

const [projectDir, owner, durationText, leaseText] = process.argv.slice(2)
const durationMs = Number(durationText)
const leaseMs = Number(leaseText)
const store = ProjectStore.open(projectDir!)
if (!store.ok) throw new Error(store.error.message)
const { claims, features } = store.value
const ids = features.list().map((f) => f.id)
const log = (entry: object): void =>
  void process.stdout.write(`${JSON.stringify({ owner, ...entry })}\n`)

let seed = [...owner!].reduce((sum, ch) => sum * 31 + ch.charCodeAt(0), 7) >>> 0
const random = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32

const end = Date.now() + durationMs
let dead = false
while (Date.now() < end) {
  const action = random()
  if (dead) {
    await new Promise((resolve) => setTimeout(resolve, leaseMs * 2))
    dead = false
    log({ op: 'revive', at: Date.now() })
    continue
  }
  if (action < 0.5) {
    const batch = [
      ...new Set([
        ids[Math.floor(random() * ids.length)]!,
        ids[Math.floor(random() * ids.length)]!,
      ]),
    ]
    const result = claims.claim(batch, owner!, 'coding', leaseMs)
    if (result.ok)
      for (const claim of result.value)
        log({ op: 'claim', f: claim.featureId, at: claim.claimedAt, until: claim.leaseUntil })
  } else if (action < 0.75) {
    const held = claims.heldBy(owner!)
    const target = held[Math.floor(random() * held.length)]
    if (target) {
      const before = Date.now()
      if (claims.release(target.featureId, owner!, 'done').ok)
        log({ op: 'release', f: target.featureId, at: before })
    }
  } else if (action < 0.97) {
    const before = Date.now()
    claims.heartbeat(owner!, leaseMs)
    for (const claim of claims.heldBy(owner!))
      log({ op: 'hold', f: claim.featureId, until: Math.min(before + leaseMs, claim.leaseUntil) })
  } else {
    dead = true
    log({ op: 'die', at: Date.now() })
  }
  await new Promise((resolve) => setTimeout(resolve, random() * 5))
}
store.value.close()
