import { z } from 'zod'

import {
  EffectiveSettings,
  SECRET_SETTING_KEYS,
  SettingsPatch,
  SettingsView,
} from '../../core/api/index.js'
import { ok } from '../../core/index.js'
import type { Result } from '../../core/index.js'
import type { SettingsRepo } from '../../store/index.js'
import type { ApiRouter } from '../api-router.js'
import { ProjectName } from '../projects.js'
import type { AppServices } from '../services.js'
import type { ServerError } from '../error-codes.js'

const Params = z.object({ project: ProjectName })
const SECRETS: ReadonlySet<string> = new Set(SECRET_SETTING_KEYS)

/** Stored settings without secret values: only whether each secret is set. */
function settingsView(repo: SettingsRepo): SettingsView {
  const all = repo.all()
  const values = Object.fromEntries(Object.entries(all).filter(([key]) => !SECRETS.has(key)))
  const secrets = Object.fromEntries(
    SECRET_SETTING_KEYS.map((key) => [key, { set: all[key] !== undefined }]),
  )
  return { values, secrets }
}

function applyPatch(repo: SettingsRepo, patch: SettingsPatch): SettingsView {
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue
    if (value === null) repo.delete(key)
    else repo.set(key, value)
  }
  return settingsView(repo)
}

/** Global settings (registry) and per-project settings (project database); secrets are write-only. */
export function registerSettingsRoutes(api: ApiRouter, services: AppServices): void {
  const { hub } = services
  const projectRepo = (project: string): Result<SettingsRepo, ServerError> => {
    const opened = hub.open(project)
    return opened.ok ? ok(opened.value.store.settings) : opened
  }
  api.route({
    method: 'GET',
    url: '/api/settings',
    summary: 'Global settings: provider, models per role, run defaults (secrets only as set/unset)',
    tags: ['settings'],
    response: SettingsView,
    handler: () => ok(settingsView(hub.registry.settings)),
  })
  api.route({
    method: 'PATCH',
    url: '/api/settings',
    summary: 'Change global settings; null removes one',
    tags: ['settings'],
    body: SettingsPatch,
    response: SettingsView,
    handler: ({ body }) => ok(applyPatch(hub.registry.settings, body)),
  })
  api.route({
    method: 'GET',
    url: '/api/projects/:project/settings',
    summary: "The project's own settings (they win over the global ones)",
    tags: ['settings'],
    params: Params,
    response: SettingsView,
    handler: ({ params }) => {
      const repo = projectRepo(params.project)
      return repo.ok ? ok(settingsView(repo.value)) : repo
    },
  })
  api.route({
    method: 'PATCH',
    url: '/api/projects/:project/settings',
    summary: "Change the project's settings; null removes one",
    tags: ['settings'],
    params: Params,
    body: SettingsPatch,
    response: SettingsView,
    handler: ({ params, body }) => {
      const repo = projectRepo(params.project)
      return repo.ok ? ok(applyPatch(repo.value, body)) : repo
    },
  })
  api.route({
    method: 'GET',
    url: '/api/projects/:project/settings/effective',
    summary:
      'What a run would use: the provider (never its credentials) and the model of each role',
    tags: ['settings'],
    params: Params,
    response: EffectiveSettings,
    handler: ({ params }) => {
      const opened = hub.open(params.project)
      if (!opened.ok) return opened
      return ok(services.runs.effectiveSettings(opened.value))
    },
  })
}
