import { describe, expect, it } from 'vitest'

import {
  canTransition,
  blockersOf,
  checkTransition,
  FeatureState,
  graphStatus,
  isDone,
  nextStates,
  viewGraphStatus,
} from '../../../src/core/index.js'
import type { LifecycleActor } from '../../../src/core/index.js'

const ACTORS: LifecycleActor[] = ['holder', 'tester', 'operator', 'orchestrator']

describe('the lifecycle table', () => {
  it('lets only a claim (holder or orchestrator) make a feature in_progress', () => {
    for (const from of FeatureState.options)
      for (const actor of ACTORS)
        if (from !== 'in_progress')
          expect(canTransition(from, 'in_progress', actor), `${from} by ${actor}`).toBe(
            (from === 'pending' || from === 'failing') &&
              (actor === 'holder' || actor === 'orchestrator'),
          )
  })

  it('lets nobody skip a passing feature or move it back to pending', () => {
    for (const actor of ACTORS) {
      expect(canTransition('passing', 'skipped', actor)).toBe(false)
      expect(canTransition('passing', 'pending', actor)).toBe(false)
    }
  })

  it('lets only a person unskip or answer', () => {
    expect(ACTORS.filter((a) => canTransition('skipped', 'pending', a))).toEqual(['operator'])
    expect(ACTORS.filter((a) => canTransition('needs_human', 'pending', a))).toEqual(['operator'])
  })

  it('lets a tester find a regression, and a coding agent skip only what it holds', () => {
    expect(nextStates('passing', 'tester')).toEqual(['failing', 'needs_human'])
    expect(nextStates('pending', 'holder')).toEqual(['in_progress'])
    expect(canTransition('in_progress', 'skipped', 'holder')).toBe(true)
  })

  it('allows staying in a state (counting an attempt) to anyone', () => {
    for (const state of FeatureState.options)
      for (const actor of ACTORS) expect(canTransition(state, state, actor)).toBe(true)
  })

  it('explains a refusal: who may, and what the caller may do instead', () => {
    const refused = checkTransition(7, 'skipped', 'pending', 'holder')
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'TRANSITION_FORBIDDEN',
        message:
          'Feature 7 cannot go from skipped to pending by the agent holding it (only a person may); the agent holding it cannot change a skipped feature.',
      },
    })
    const passing = checkTransition(3, 'passing', 'skipped', 'operator')
    expect(passing.ok || passing.error.message).toBe(
      'Feature 3 cannot go from passing to skipped by a person (nobody may); from passing, a person may move it to failing or needs_human.',
    )
  })
})

describe('isDone', () => {
  it('is true for passing and skipped only', () => {
    expect(FeatureState.options.filter(isDone)).toEqual(['passing', 'skipped'])
  })
})

describe('graphStatus', () => {
  const passing = new Set([1])
  const status = (state: FeatureState, dependencies: number[], isHeld = false): string =>
    graphStatus({ state, dependencies }, { isPassing: (id) => passing.has(id), isHeld })

  it.each<[FeatureState, number[], boolean, string]>([
    ['passing', [2], false, 'done'],
    ['skipped', [2], false, 'skipped'],
    ['needs_human', [2], false, 'needs_human'],
    ['pending', [2], false, 'blocked'],
    ['failing', [2], true, 'blocked'],
    ['pending', [1], true, 'in_progress'],
    ['in_progress', [1], false, 'in_progress'],
    ['failing', [1], false, 'failing'],
    ['pending', [], false, 'pending'],
  ])('%s with deps %j (held: %s) shows %s', (state, deps, held, expected) => {
    expect(status(state, deps, held)).toBe(expected)
  })
})

describe('blockersOf and viewGraphStatus (the API view, the board and the graph)', () => {
  const passing = new Set([1])
  const isPassing = (id: number): boolean => passing.has(id)

  it('lists the dependencies that do not pass; blocked unless the feature passes itself', () => {
    expect(blockersOf({ state: 'pending', dependencies: [1, 2, 3] }, isPassing)).toEqual({
      blocked: true,
      blockingDependencies: [2, 3],
    })
    expect(blockersOf({ state: 'passing', dependencies: [2] }, isPassing)).toEqual({
      blocked: false,
      blockingDependencies: [2],
    })
    expect(blockersOf({ state: 'failing', dependencies: [1] }, isPassing)).toEqual({
      blocked: false,
      blockingDependencies: [],
    })
  })

  it('gives a view the status graphStatus gives the feature with its blockers and holder', () => {
    for (const state of FeatureState.options)
      for (const dependencies of [[], [1], [2]])
        for (const heldBy of [null, 'c1']) {
          const view = {
            state,
            dependencies,
            heldBy,
            ...blockersOf({ state, dependencies }, isPassing),
          }
          expect(viewGraphStatus(view), `${state} ${dependencies.join()} ${heldBy}`).toBe(
            graphStatus({ state, dependencies }, { isPassing, isHeld: heldBy !== null }),
          )
        }
  })
})
