import { useParams } from 'react-router'

import {
  useEffectiveSettings,
  useGlobalSettings,
  usePolicy,
  useProjectSettings,
} from '../../api/queries.js'
import { ErrorPanel } from '../../components/error-panel.js'
import { Loading } from '../../components/spinner.js'
import { PolicyPanel } from './policy-panel.js'
import { SandboxPanel } from './sandbox-panel.js'
import type { SettingField } from './settings-form.js'
import { SettingsForm, shown } from './settings-form.js'

const PROVIDER: SettingField[] = [
  {
    key: 'anthropic_base_url',
    label: 'API base URL',
    kind: 'text',
    hint: 'A compatible endpoint; empty for Anthropic.',
  },
  { key: 'anthropic_api_key', label: 'API key', kind: 'secret' },
  { key: 'anthropic_auth_token', label: 'Auth token', kind: 'secret' },
]
const MODELS: SettingField[] = [
  { key: 'model', label: 'Every role', kind: 'text' },
  { key: 'model_initializer', label: 'Initializer', kind: 'text' },
  { key: 'model_coding', label: 'Coding agents', kind: 'text' },
  { key: 'model_testing', label: 'Testing agents', kind: 'text' },
]
const RUN_DEFAULTS: SettingField[] = [
  { key: 'concurrency', label: 'Coding agents at once', kind: 'number', hint: '1 to 10' },
  { key: 'testing_agents', label: 'Testing agents at once', kind: 'number', hint: '0 to 3' },
  { key: 'batch_size', label: 'Features per coding agent', kind: 'number', hint: '1 to 3' },
  {
    key: 'yolo',
    label: 'YOLO mode',
    kind: 'boolean',
    hint: 'No testing agents, no browser checks.',
  },
]
const CHECKS: SettingField[] = [
  {
    key: 'check_command',
    label: 'Check command',
    kind: 'text',
    hint: 'Runs on every merged result, e.g. npm test.',
  },
  {
    key: 'allowed_hosts',
    label: 'Hosts agent code may reach',
    kind: 'list',
    hint: 'Besides the npm registry: host, *.domain or host:port, separated by spaces.',
  },
  {
    key: 'unsandboxed',
    label: 'Run agents WITHOUT the OS sandbox',
    kind: 'boolean',
    hint: 'Accepts the risk: agent code can read your credentials and write outside the project.',
  },
]

function inheritedFrom(
  global: Record<string, unknown>,
  fields: readonly SettingField[],
): Record<string, string> {
  return Object.fromEntries(fields.map((field) => [field.key, shown(global[field.key])]))
}

/** Providers (keys only as set or not), models per role, run defaults, checks, sandbox, policy. */
export default function SettingsView() {
  const project = useParams()['project'] ?? ''
  const global = useGlobalSettings()
  const own = useProjectSettings(project)
  const effective = useEffectiveSettings(project)
  const policy = usePolicy(project)
  const failed = global.error ?? own.error
  if (failed)
    return (
      <ErrorPanel
        className="m-4"
        error={failed}
        retry={() => void (global.error ? global.refetch() : own.refetch())}
      />
    )
  if (!global.data || !own.data) return <Loading label="Loading settings…" />
  const globals = global.data.values
  const models = effective.data?.models
  return (
    <div className="mx-auto flex w-full max-w-4xl flex-col gap-4 overflow-y-auto p-4">
      <section
        aria-labelledby="effective-heading"
        className="rounded-lg border border-border bg-surface p-4 text-sm"
      >
        <h2 id="effective-heading" className="font-semibold">
          What the next agent uses
        </h2>
        {effective.error && <ErrorPanel compact error={effective.error} />}
        {effective.data && (
          <dl className="mt-2 grid gap-2 sm:grid-cols-4" data-testid="effective-settings">
            <div className="sm:col-span-4">
              <dt className="text-xs text-muted">Provider</dt>
              <dd className={effective.data.provider.ok ? '' : 'text-danger'}>
                {effective.data.provider.description}
              </dd>
            </div>
            {(['initializer', 'coding', 'testing'] as const).map((role) => (
              <div key={role}>
                <dt className="text-xs text-muted">{role}</dt>
                <dd data-testid={`model-${role}`}>{effective.data.models[role]}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>
      <SettingsForm
        title="Provider (all projects)"
        description="Keys are stored by the server and never shown again; only whether one is set."
        project={null}
        fields={PROVIDER}
        stored={globals}
        secrets={global.data.secrets}
      />
      <SettingsForm
        title="Models (this project)"
        description="Empty fields fall back to the global setting, then the default."
        project={project}
        fields={MODELS}
        stored={own.data.values}
        inherited={{
          ...inheritedFrom(globals, MODELS),
          ...(models
            ? {
                model_initializer: models.initializer,
                model_coding: models.coding,
                model_testing: models.testing,
              }
            : {}),
        }}
      />
      <SettingsForm
        title="Run defaults (this project)"
        project={project}
        fields={RUN_DEFAULTS}
        stored={own.data.values}
        inherited={inheritedFrom(globals, RUN_DEFAULTS)}
      />
      <SandboxPanel project={project} policy={policy} />
      <SettingsForm
        title="Checks and sandbox (this project)"
        project={project}
        fields={CHECKS}
        stored={own.data.values}
        inherited={inheritedFrom(globals, CHECKS)}
      />
      <PolicyPanel policy={policy} />
    </div>
  )
}
