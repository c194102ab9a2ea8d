// @vitest-environment happy-dom
// The OS sandbox of the current run, as the run events and status carry it: the progress header
// shows its kind, a run without one in the warning style, and Settings shows it next to what the
// machine offers.
import { act, cleanup, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'

import type { PolicyView, ProjectServerFrame } from '@core/api/index.js'
import type { EventBody } from '@core/events.js'

import { keys } from '../../../ui/src/api/keys.js'
import { applyToCache } from '../../../ui/src/api/live-provider.js'
import { usePolicy } from '../../../ui/src/api/queries.js'
import { ProgressHeader } from '../../../ui/src/screens/project/progress-header.js'
import { SandboxPanel } from '../../../ui/src/screens/settings/sandbox-panel.js'
import { loadRecording } from './recorded.js'
import { renderAt, testClient } from './render.js'

afterEach(cleanup)

const recording = loadRecording()
const recorded = recording.frames[0] as Extract<ProjectServerFrame, { type: 'snapshot' }>
// The recording predates the run's sandbox field: no run, so none.
const snapshot = { ...recorded, run: { ...recorded.run, sandbox: null } }
let nextId = 1
const event = (body: EventBody): ProjectServerFrame => ({
  type: 'event',
  event: { ...body, id: nextId, at: 1_800_000_000_000 + nextId++ },
})
const started = (runId: string, sandbox?: 'bubblewrap' | 'unsandboxed'): ProjectServerFrame =>
  event({ type: 'run.started', runId, options: {}, ...(sandbox ? { sandbox } : {}) })

function sandboxShown(): { kind: string | undefined; text: string | null } {
  const shown = within(screen.getByRole('region', { name: 'Progress' })).getByTestId('run-sandbox')
  return { kind: shown.dataset['sandbox'], text: shown.textContent }
}

/** A client with what the routes would answer: the run status of the snapshot. */
function client() {
  const query = testClient()
  query.setQueryData(keys.run('demo'), snapshot.run)
  return query
}

function SettingsSandbox() {
  return <SandboxPanel project="demo" policy={usePolicy('demo')} />
}

describe('the OS sandbox of the run', () => {
  it('shows the kind in the header, warns when the run has none, and clears it when the run ends', () => {
    const query = client()
    applyToCache(query, 'demo', [snapshot])
    renderAt(<ProgressHeader project="demo" />, {
      url: '/projects/demo/board',
      route: '/projects/:project/board',
      client: query,
    })
    expect(sandboxShown()).toEqual({ kind: 'none', text: '—' })

    act(() => void applyToCache(query, 'demo', [started('run-a', 'bubblewrap')]))
    expect(sandboxShown()).toEqual({ kind: 'bubblewrap', text: 'bubblewrap' })
    expect(screen.getByTestId('run-sandbox').className).not.toContain('text-danger')

    act(
      () =>
        void applyToCache(query, 'demo', [
          event({ type: 'run.finished', runId: 'run-a', reason: 'stopped', message: 'stopped' }),
          started('run-b', 'unsandboxed'),
          event({ type: 'run.unsandboxed', runId: 'run-b', message: 'a person accepted the risk' }),
        ]),
    )
    const warning = screen.getByTestId('run-sandbox')
    expect(warning.dataset['sandbox']).toBe('unsandboxed')
    expect(warning.textContent).toContain('Unsandboxed')
    expect(warning.className).toContain('text-danger')
    expect(warning.title).toMatch(/without the OS sandbox.*credentials/)

    act(
      () =>
        void applyToCache(query, 'demo', [
          event({ type: 'run.finished', runId: 'run-b', reason: 'complete', message: 'done' }),
        ]),
    )
    expect(sandboxShown()).toEqual({ kind: 'none', text: '—' })

    // Simulated agents run no code: the run starts without a sandbox kind.
    act(() => void applyToCache(query, 'demo', [started('run-c')]))
    expect(sandboxShown()).toEqual({ kind: 'none', text: '—' })
  })

  it("shows in Settings the run's sandbox and what this machine offers, with the fix", () => {
    const query = client()
    const policy: PolicyView = {
      allowed: [],
      blocked: [],
      pkillProcesses: [],
      npxPackages: [],
      sandbox: {
        available: false,
        kind: 'unsandboxed',
        detail: 'bwrap was not found',
        fix: 'apt install bubblewrap socat',
      },
    }
    query.setQueryData([...keys.settings('demo'), 'policy'], policy)
    applyToCache(query, 'demo', [snapshot, started('run-d', 'unsandboxed')])
    renderAt(<SettingsSandbox />, {
      url: '/projects/demo/settings',
      route: '/projects/:project/settings',
      client: query,
    })
    const panel = screen.getByRole('region', { name: 'OS sandbox state' })
    expect(within(panel).getByTestId('run-sandbox').dataset['sandbox']).toBe('unsandboxed')
    expect(panel.textContent).toContain('agent-written code can read your credentials')
    const machine = within(panel).getByTestId('machine-sandbox').textContent
    expect(machine).toContain('No OS sandbox available')
    expect(machine).toContain('bwrap was not found')
    expect(machine).toContain('Fix: apt install bubblewrap socat')
  })
})
