/**
 * `plan --features` reads a valid file without zod (plan-file.ts) and parses any other with the
 * PlanFile schema (input-files.ts). Both must give one answer: the check accepts exactly the files
 * the schema accepts, with the same planner input.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { parsePlanFile } from '../../../src/cli/input-files.js'
import { planInput, readPlanFile } from '../../../src/cli/plan-file.js'
import { tempDir } from '../../helpers/tmp.js'

/** Values of every JSON kind, valid or not for the field they land in. */
const anyValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -3, max: 30 }),
  fc.constantFrom(0, 1.5, -0, 2 ** 53, 2 ** 53 - 1, -(2 ** 53), 1e300),
  fc.constantFrom('', 'a', '1', 'true'),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 3 }),
  fc.constant([1, '2']),
  fc.constant([1.5]),
)

/** A field: usually a valid value of its kind, sometimes missing or anything at all. */
function field(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: valid },
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: anyValue },
  )
}

const itemArb = fc
  .record({
    id: field(fc.integer({ min: 1, max: 50 })),
    priority: field(fc.integer({ min: -5, max: 20 })),
    category: field(fc.constantFrom('', 'functional', 'style')),
    name: field(fc.constantFrom('a feature', '')),
    passes: field(fc.oneof(fc.boolean(), fc.constant(null))),
    in_progress: field(fc.oneof(fc.boolean(), fc.constant(null))),
    dependencies: field(
      fc.oneof(fc.array(fc.integer({ min: -2, max: 50 }), { maxLength: 4 }), fc.constant(null)),
    ),
    extra: field(fc.constant('ignored')),
  })
  .map((item) => Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined)))

const fileArb = fc.oneof(
  { weight: 8, arbitrary: fc.record({ features: fc.array(itemArb, { maxLength: 6 }) }) },
  {
    weight: 1,
    arbitrary: fc.oneof(anyValue, fc.record({ features: anyValue }), fc.array(itemArb)),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.oneof(itemArb, anyValue), { maxLength: 3 })
      .map((features) => ({ features })),
  },
)

function bySchema(data: unknown): ReturnType<typeof parsePlanFile> | 'invalid' {
  try {
    return parsePlanFile(data, 'plan.json')
  } catch {
    return 'invalid'
  }
}

describe('plan --features files', () => {
  it('are read without the schema exactly when the schema takes them, with the same result', () => {
    fc.assert(
      fc.property(fileArb, (data) => {
        expect(planInput(data) ?? 'invalid').toEqual(bySchema(data))
      }),
      { numRuns: 3000 },
    )
  })

  it('that do not fit are refused with what is wrong and the expected shape', async () => {
    using dir = tempDir()
    const file = join(dir.path, 'plan.json')
    writeFileSync(file, JSON.stringify({ features: [{ id: 1 }, { id: 0 }] }))
    await expect(readPlanFile(file)).rejects.toThrow(
      /plan\.json: features\.1\.id: .*expected \{"features":\[\{"id"/,
    )
  })

  it('with an id twice are refused', async () => {
    using dir = tempDir()
    const file = join(dir.path, 'plan.json')
    writeFileSync(file, JSON.stringify({ features: [{ id: 1 }, { id: 2 }, { id: 1 }] }))
    await expect(readPlanFile(file)).rejects.toThrow(/feature id 1 appears twice/)
  })

  it('in id order but with an id twice in a row are refused', async () => {
    using dir = tempDir()
    const file = join(dir.path, 'plan.json')
    writeFileSync(file, JSON.stringify({ features: [{ id: 1 }, { id: 2 }, { id: 2 }] }))
    await expect(readPlanFile(file)).rejects.toThrow(/feature id 2 appears twice/)
  })
})
