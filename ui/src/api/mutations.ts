import { FeatureDeleteResponse, FeatureView, RunStatusView, SettingsView } from '@core/api/index.js'
import type { AnswerBody, RunStartBody, SettingsPatch } from '@core/api/index.js'
import { Feature } from '@core/feature.js'
import type { FeaturePatch, NewFeature } from '@core/feature.js'
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

/** Editing the board: create, edit, skip, unskip, delete, dependencies. */
export function useFeatureMutations(project: string) {
  const client = useQueryClient()
  const refresh = (id?: number): void => {
    void client.invalidateQueries({ queryKey: keys.features(project) })
    if (id !== undefined) void client.invalidateQueries({ queryKey: keys.feature(project, id) })
  }
  const base = (id: number, rest = ''): string => projectPath(project, `/features/${id}${rest}`)
  return {
    create: useMutation({
      mutationFn: (body: NewFeature) =>
        request('add the feature', projectPath(project, '/features'), FeatureView, {
          method: 'POST',
          body,
        }),
      onSuccess: (feature) => refresh(feature.id),
    }),
    update: useMutation({
      mutationFn: ({ id, patch }: { id: number; patch: FeaturePatch }) =>
        request(`save feature #${id}`, base(id), FeatureView, { method: 'PATCH', body: patch }),
      onSuccess: (feature) => refresh(feature.id),
    }),
    skip: useMutation({
      mutationFn: (id: number) =>
        request(`skip feature #${id}`, base(id, '/skip'), FeatureView, { method: 'POST' }),
      onSuccess: (feature) => refresh(feature.id),
    }),
    unskip: useMutation({
      mutationFn: (id: number) =>
        request(`put feature #${id} back`, base(id, '/unskip'), FeatureView, { method: 'POST' }),
      onSuccess: (feature) => refresh(feature.id),
    }),
    remove: useMutation({
      mutationFn: (id: number) =>
        request(`delete feature #${id}`, base(id), FeatureDeleteResponse, { method: 'DELETE' }),
      onSuccess: (deleted) => refresh(deleted.id),
    }),
    dependencies: useMutation({
      mutationFn: ({ id, dependencyIds }: { id: number; dependencyIds: number[] }) =>
        request(`change the dependencies of #${id}`, base(id, '/dependencies'), FeatureView, {
          method: 'PUT',
          body: { dependencyIds },
        }),
      onSuccess: (feature) => refresh(feature.id),
    }),
  }
}

/** Answers a feature's question; the feature goes back into the run. */
export function useAnswer(project: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: AnswerBody) =>
      request(
        `answer the question of #${body.featureId}`,
        projectPath(project, '/run/answer'),
        Feature,
        {
          method: 'POST',
          body,
        },
      ),
    onSuccess: (feature) => {
      void client.invalidateQueries({ queryKey: keys.features(project) })
      void client.invalidateQueries({ queryKey: keys.feature(project, feature.id) })
    },
  })
}

/** Changes settings of one project, or the global ones (`project` null); null values remove. */
export function useSettingsPatch(project: string | null) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (patch: SettingsPatch) =>
      request(
        project === null ? 'save the global settings' : "save the project's settings",
        project === null ? '/api/settings' : projectPath(project, '/settings'),
        SettingsView,
        { method: 'PATCH', body: patch },
      ),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.globalSettings })
      // A global change can change what every project would use.
      void client.invalidateQueries({
        predicate: (query) => query.queryKey[0] === 'project' && query.queryKey[2] === 'settings',
      })
    },
  })
}
