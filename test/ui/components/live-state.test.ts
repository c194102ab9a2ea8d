// The live state the project socket keeps, folded from a recorded demo run.
import { describe, expect, it } from 'vitest'

import type { ProjectSnapshot } from '@core/api/index.js'

import { applyFrames, fromSnapshot } from '../../../ui/src/api/live-state.js'
import { framesUntil, loadRecording } from './recorded.js'

const recording = loadRecording()
const snapshot = recording.frames[0] as ProjectSnapshot
const start = () => fromSnapshot(snapshot)

describe('live state from a recorded run', () => {
  it('counts the agent a coding session runs and forgets it when it finishes', () => {
    const frames = framesUntil(
      recording.frames.slice(1),
      (event) => event.type === 'agent.started' && event.agentId.startsWith('c'),
    )
    const during = applyFrames(start(), frames)
    expect([...during.agents.values()].map((agent) => agent.role)).toEqual(['coding'])
    expect(during.run.mode).toBe('running')
    const claimed = [...during.features.values()].filter(
      (feature) => feature.state === 'in_progress',
    )
    expect(claimed).toHaveLength(1)
    const end = applyFrames(during, recording.frames.slice(frames.length + 1))
    expect(end.agents.size).toBe(0)
    expect(end.run.mode).toBe('idle')
    expect(end.stats.passing).toBe(recording.after.stats.passing)
  })
})
