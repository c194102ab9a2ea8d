import {
  FeatureListResponse,
  ProjectSummary,
  RunStatusView,
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
