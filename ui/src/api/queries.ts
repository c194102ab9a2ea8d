import {
  EffectiveSettings,
  EventsResponse,
  FeatureDetail,
  FeatureDiff,
  FeatureListResponse,
  PolicyView,
  ProjectSummary,
  RunStatusView,
  SessionsResponse,
  SettingsView,
  SetupStatus,
} from '@core/api/index.js'
import type { ProjectStatsView } from '@core/api/index.js'
import { useQuery } from '@tanstack/react-query'
import { useMemo, useRef } from 'react'
import { z } from 'zod'

import type { BoardFeature } from './board-model.js'
import { mergeBoard } from './board-model.js'
import { request } from './http.js'
import { keys, projectPath } from './keys.js'
import { useLive } from './live-provider.js'

export function useProjects() {
  return useQuery({
    queryKey: keys.projects,
    queryFn: ({ signal }) =>
      request('list the projects', '/api/projects', z.array(ProjectSummary), { signal }),
    refetchOnWindowFocus: true,
  })
}

export function useSetupStatus() {
  return useQuery({
    queryKey: keys.setup,
    queryFn: ({ signal }) =>
      request('check this machine', '/api/setup/status', SetupStatus, { signal }),
    staleTime: 60_000,
  })
}

export function useFeatureList(project: string) {
  return useQuery({
    queryKey: keys.features(project),
    queryFn: ({ signal }) =>
      request('load the board', projectPath(project, '/features'), FeatureListResponse, { signal }),
    staleTime: Infinity,
  })
}

/** The board: the feature list with the socket's live state laid over it. */
export function useBoard(project: string): {
  features: BoardFeature[] | undefined
  stats: ProjectStatsView | undefined
  error: unknown
  isLoading: boolean
  refetch: () => void
} {
  const list = useFeatureList(project)
  const live = useLive(project)
  const previous = useRef(new Map<number, BoardFeature>())
  const features = useMemo(() => {
    if (!list.data) return undefined
    const merged = mergeBoard(list.data, live?.features, previous.current)
    previous.current = new Map(merged.map((feature) => [feature.id, feature]))
    return merged
  }, [list.data, live?.features])
  return {
    features,
    stats: live?.stats ?? list.data?.stats,
    error: list.error,
    isLoading: list.isLoading,
    refetch: () => void list.refetch(),
  }
}

/** The run as the server reports it, with the live mode and agents from the socket on top. */
export function useRun(project: string) {
  const query = useQuery({
    queryKey: keys.run(project),
    queryFn: ({ signal }) =>
      request('read the run status', projectPath(project, '/run'), RunStatusView, { signal }),
    staleTime: Infinity,
  })
  const live = useLive(project)
  return { ...query, live }
}

export function useGlobalSettings() {
  return useQuery({
    queryKey: keys.globalSettings,
    queryFn: ({ signal }) =>
      request('read the settings', '/api/settings', SettingsView, { signal }),
  })
}

/** Whether a run could start: setup status, with credentials stored in the settings counted too. */
export function useReadiness() {
  const setup = useSetupStatus()
  const settings = useGlobalSettings()
  const status = setup.data
  const stored = settings.data
  const credentialsInSettings =
    stored !== undefined &&
    (stored.secrets['anthropic_api_key']?.set === true ||
      stored.secrets['anthropic_auth_token']?.set === true ||
      typeof stored.values['anthropic_base_url'] === 'string')
  const credentials = (status?.credentials.present ?? false) || credentialsInSettings
  const ready =
    status === undefined || settings.isPending
      ? undefined
      : status.claudeCli.present && status.git.present && credentials
  return { setup, settings, credentials, credentialsInSettings, ready }
}

export function useFeatureDetail(project: string, id: number) {
  return useQuery({
    queryKey: keys.feature(project, id),
    queryFn: ({ signal }) =>
      request(`load feature #${id}`, projectPath(project, `/features/${id}`), FeatureDetail, {
        signal,
      }),
    staleTime: Infinity,
  })
}

export function useFeatureDiff(project: string, id: number, enabled: boolean) {
  return useQuery({
    queryKey: [...keys.feature(project, id), 'diff'],
    queryFn: ({ signal }) =>
      request(
        `load the merge diff of feature #${id}`,
        projectPath(project, `/features/${id}/diff`),
        FeatureDiff,
        {
          signal,
        },
      ),
    enabled,
    staleTime: Infinity,
  })
}

/** A page of the event log (newest first) of one feature or one agent. */
export function useEvents(
  project: string,
  filter: { featureId?: number; agentId?: string },
  limit = 200,
) {
  const params = new URLSearchParams({ limit: String(limit) })
  if (filter.featureId !== undefined) params.set('featureId', String(filter.featureId))
  if (filter.agentId !== undefined) params.set('agentId', filter.agentId)
  const key =
    filter.featureId !== undefined
      ? [...keys.feature(project, filter.featureId), 'events']
      : [...keys.events(project), filter.agentId ?? 'all']
  return useQuery({
    queryKey: key,
    queryFn: ({ signal }) =>
      request(
        'read the event log',
        projectPath(project, `/events?${params.toString()}`),
        EventsResponse,
        { signal },
      ),
    staleTime: Infinity,
  })
}

/** Sessions of a run (or all, newest first), with the tokens and cost the server counted. */
export function useSessions(project: string, runId: string | null) {
  const params = new URLSearchParams({ limit: '500' })
  if (runId !== null) params.set('runId', runId)
  return useQuery({
    queryKey: [...keys.sessions(project), runId ?? 'all'],
    queryFn: ({ signal }) =>
      request(
        'read the agent sessions',
        projectPath(project, `/sessions?${params.toString()}`),
        SessionsResponse,
        {
          signal,
        },
      ),
    staleTime: Infinity,
  })
}

export function useProjectSettings(project: string) {
  return useQuery({
    queryKey: keys.settings(project),
    queryFn: ({ signal }) =>
      request("read the project's settings", projectPath(project, '/settings'), SettingsView, {
        signal,
      }),
  })
}

/** What a run would use now: provider kind and model per role (never credentials). */
export function useEffectiveSettings(project: string) {
  return useQuery({
    queryKey: [...keys.settings(project), 'effective'],
    queryFn: ({ signal }) =>
      request(
        'work out the effective settings',
        projectPath(project, '/settings/effective'),
        EffectiveSettings,
        {
          signal,
        },
      ),
  })
}

export function usePolicy(project: string) {
  return useQuery({
    queryKey: [...keys.settings(project), 'policy'],
    queryFn: ({ signal }) =>
      request("read the project's command policy", projectPath(project, '/policy'), PolicyView, {
        signal,
      }),
  })
}
