// The attack catalog itself: enough attacks of every class, unique ids, placeholders that exist.
import { describe, expect, it } from 'vitest'

import type { PlaceholderValues } from './attack.js'
import { ATTACK_CLASSES, fillPlaceholders } from './attack.js'
import { BASH_ATTACKS } from './catalog/index.js'
import { mergeCheckAttack } from './merge-check.js'

const values: PlaceholderValues = {
  canary: '/c',
  project: '/p',
  home: '/h',
  autocoderHome: '/h/.autocoder',
  keyPath: '/h/.ssh/id_rsa',
  serverUrl: 'http://127.0.0.1:1',
  serverPort: 1,
  projectName: 'p',
  outsideHost: '10.0.0.1',
  outsidePort: 2,
  program: (id) => `/bin/${id}`,
  programJs: (id) => `/bin/${id}.cjs`,
  fakeBin: (id) => `/fakebin/${id}`,
  sleeper: () => ({ pid: 3, name: 'zz3' }),
}

describe('the attack catalog', () => {
  it('has at least ten attacks of its own for every class with Bash attacks', () => {
    const counts = new Map<number, number>()
    for (const attack of BASH_ATTACKS) counts.set(attack.cls, (counts.get(attack.cls) ?? 0) + 1)
    for (const cls of Object.keys(ATTACK_CLASSES)
      .map(Number)
      .filter((cls) => cls !== 14))
      expect(counts.get(cls) ?? 0, `class ${cls}`).toBeGreaterThanOrEqual(10)
  })

  it('names every attack once, with an id that can be a file name', () => {
    const ids = [...BASH_ATTACKS, mergeCheckAttack].map((attack) => attack.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(/^c\d\d-[a-z0-9-]+$/)
  })

  it('uses only placeholders the worlds fill', () => {
    for (const attack of [...BASH_ATTACKS, mergeCheckAttack]) {
      const filled = attack.steps
        .map((step) => fillPlaceholders(step, attack.id, values))
        .join('\n')
      expect(filled, attack.id).not.toMatch(/@[A-Z]+@/)
    }
  })
})
