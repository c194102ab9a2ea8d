// The recorded demo run (test/fixtures/ui/demo-run.json, written by test/ui/record-events.ts).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import type { FeatureListResponse, ProjectServerFrame } from '@core/api/index.js'

export interface Recording {
  before: FeatureListResponse
  after: FeatureListResponse
  frames: ProjectServerFrame[]
}

export function loadRecording(name = 'demo-run'): Recording {
  const path = join(import.meta.dirname, '..', '..', 'fixtures', 'ui', `${name}.json`)
  return JSON.parse(readFileSync(path, 'utf8')) as Recording
}

/** The frames up to and including the first event matching `predicate`. */
export function framesUntil(
  frames: readonly ProjectServerFrame[],
  predicate: (event: Extract<ProjectServerFrame, { type: 'event' }>['event']) => boolean,
): ProjectServerFrame[] {
  const index = frames.findIndex((frame) => frame.type === 'event' && predicate(frame.event))
  if (index === -1) throw new Error('no recorded event matches')
  return frames.slice(0, index + 1)
}

/**
 * The feature list as read right after the initializer created the features: every one pending,
 * none held (the recording's final list with those states).
 */
export function listAtCreation(recording: Recording): FeatureListResponse {
  const features = recording.after.features.map((feature) => ({
    ...feature,
    state: 'pending' as const,
    heldBy: null,
    attempts: 0,
  }))
  return { ...recording.after, features, costs: {} }
}
