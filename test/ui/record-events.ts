// Records what the UI receives during an offline demo run, for the component tests:
//   node --import tsx test/ui/record-events.ts [features=4] [out=test/fixtures/ui/demo-run.json]
// The feature list before the run and at the end, and every project-socket frame in between
// (long tool inputs and outputs cut to keep the file small).
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

import {
  DEMO_LAUNCHER_OPTIONS,
  DEMO_MODEL,
  prepareDemoProject,
  startDemoModel,
} from '../../src/demo/index.js'
import type { ProjectServerFrame } from '../../src/core/api/index.js'
import { unwrap } from '../../src/core/index.js'
import { FrameClient, startHarness } from '../integration/server/app-harness.js'

const features = Number(process.argv[2] ?? 4)
const out = process.argv[3] ?? join(import.meta.dirname, '..', 'fixtures', 'ui', 'demo-run.json')

function trim(frame: ProjectServerFrame): ProjectServerFrame {
  if (frame.type !== 'event') return frame
  const event = { ...frame.event } as Record<string, unknown>
  for (const key of ['output', 'text', 'message']) {
    const value = event[key]
    if (typeof value === 'string' && value.length > 300) event[key] = `${value.slice(0, 300)}…`
  }
  if (event['input'] !== undefined && JSON.stringify(event['input']).length > 300)
    event['input'] = { summary: JSON.stringify(event['input']).slice(0, 200) }
  return { type: 'event', event } as ProjectServerFrame
}

const h = await startHarness({
  runParts: null,
  env: { PATH: process.env['PATH'], HOME: process.env['HOME'] },
  runSettings: { leaseMs: 30_000, heartbeatMs: 1_000 },
  launcher: DEMO_LAUNCHER_OPTIONS,
})
const projectDir = join(h.root, 'demo')
unwrap(prepareDemoProject(projectDir, { features: features }))
const model = unwrap(await startDemoModel(projectDir))
try {
  await h.request('POST', '/api/projects/import', { name: 'demo', path: projectDir })
  await h.request('PATCH', '/api/settings', {
    anthropic_base_url: model.url,
    anthropic_api_key: 'autocoder-demo',
    model: DEMO_MODEL,
  })
  const before = (await h.request('GET', '/api/projects/demo/features')).json
  const watcher = new FrameClient(`${h.base.replace('http', 'ws')}/api/projects/demo/ws`, h.auth)
  await watcher.until((frame) => frame.type === 'snapshot')
  await h.request('POST', '/api/projects/demo/run/start', { concurrency: 2, yolo: true })
  await watcher.until(
    (frame) => frame.type === 'event' && frame.event.type === 'run.finished',
    600_000,
  )
  const after = (await h.request('GET', '/api/projects/demo/features')).json
  await watcher.close()
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, `${JSON.stringify({ before, after, frames: watcher.frames.map(trim) })}\n`)
  console.log(`wrote ${watcher.frames.length} frames to ${out}`)
} finally {
  await h[Symbol.asyncDispose]()
  await model.close()
}
