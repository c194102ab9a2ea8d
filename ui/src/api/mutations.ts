import { RunStatusView } from '@core/api/index.js'
import type { RunStartBody } from '@core/api/index.js'
import { useMutation, useQueryClient } from '@tanstack/react-query'

import { request } from './http.js'
import { keys, projectPath } from './keys.js'

type RunAction = 'pause' | 'resume' | 'drain' | 'stop'

const ACTION_LABEL: Record<RunAction, string> = {
  pause: 'pause the run',
  resume: 'resume the run',
  drain: 'drain the run',
  stop: 'stop the run',
}

/** Run control: start, pause, resume, drain, stop and concurrency; answers refresh the run status. */
export function useRunControl(project: string) {
  const client = useQueryClient()
  const onSuccess = (status: RunStatusView): void => {
    client.setQueryData(keys.run(project), status)
  }
  const start = useMutation({
    mutationFn: (body: RunStartBody) =>
      request('start the run', projectPath(project, '/run/start'), RunStatusView, {
        method: 'POST',
        body,
      }),
    onSuccess,
  })
  const act = useMutation({
    mutationFn: (action: RunAction) =>
      request(ACTION_LABEL[action], projectPath(project, `/run/${action}`), RunStatusView, {
        method: 'POST',
        ...(action === 'drain' ? { body: { reason: 'drained from the web UI' } } : {}),
      }),
    onSuccess,
  })
  const concurrency = useMutation({
    mutationFn: (body: { coding?: number; testing?: number }) =>
      request('change the concurrency', projectPath(project, '/run/concurrency'), RunStatusView, {
        method: 'PATCH',
        body,
      }),
    onSuccess,
  })
  return { start, act, concurrency }
}
