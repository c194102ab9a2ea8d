import { z } from 'zod'

/**
 * Settings keys the API edits (the same keys the agents module reads; a project value wins over
 * the global one, which wins over the environment). Secret keys are write-only: answers only say
 * whether they are set.
 */
export const SECRET_SETTING_KEYS = ['anthropic_api_key', 'anthropic_auth_token'] as const

const Model = z.string().trim().min(1).max(200)
const Secret = z.string().trim().min(1).max(4096)

/** Every setting, as stored globally (registry) or per project (the project's one wins). */
const settingShape = {
  anthropic_base_url: z
    .string()
    .trim()
    .url()
    .max(2000)
    .regex(/^https?:\/\//, 'must be an http(s) URL'),
  anthropic_api_key: Secret,
  anthropic_auth_token: Secret,
  model: Model,
  model_initializer: Model,
  model_coding: Model,
  model_testing: Model,
  /** Run Bash inside the OS sandbox too (default: when it works on this machine). */
  os_sandbox: z.boolean(),
  chromium_path: z.string().trim().min(1).max(4096),
  /** The command that verifies a merge (argv or one command line), checked by the bash policy. */
  check_command: z.union([
    z.string().trim().min(1).max(4000),
    z.array(z.string().min(1).max(1000)).min(1).max(50),
  ]),
  /** Run defaults: a run's own choices (flags, the start request) win over them. */
  concurrency: z.number().int().min(1).max(10),
  testing_agents: z.number().int().min(0).max(3),
  batch_size: z.number().int().min(1).max(3),
  yolo: z.boolean(),
}

/** The settings keys, in one list (the API edits exactly these; runs read exactly these). */
export const SETTING_NAMES = Object.keys(settingShape) as Array<keyof typeof settingShape>

/** Stored settings of one level (global or project): every key optional. */
export const ProjectSettings = z.object(settingShape).partial()
export type ProjectSettings = z.infer<typeof ProjectSettings>

type NullableShape<T extends Record<string, z.ZodType>> = { [K in keyof T]: z.ZodNullable<T[K]> }

function nullable<T extends Record<string, z.ZodType>>(shape: T): NullableShape<T> {
  return Object.fromEntries(
    Object.entries(shape).map(([key, schema]) => [key, schema.nullable()]),
  ) as NullableShape<T>
}

/** Values to change; `null` removes a setting (falls back to the next source). */
export const SettingsPatch = z.object(nullable(settingShape)).partial().strict()
export type SettingsPatch = z.infer<typeof SettingsPatch>

export const SettingsView = z.object({
  /** Non-secret values as stored at this level. */
  values: z.record(z.string(), z.unknown()),
  /** Secret settings: only whether each is set at this level. */
  secrets: z.record(z.string(), z.object({ set: z.boolean() })),
})
export type SettingsView = z.infer<typeof SettingsView>

/** What a run of a project would use: the provider kind and the model of each role. */
export const EffectiveSettings = z.object({
  provider: z.object({ ok: z.boolean(), kind: z.string().nullable(), description: z.string() }),
  models: z.object({ initializer: z.string(), coding: z.string(), testing: z.string() }),
})

/** The project's effective bash policy, read-only (as `autocoder policy list`), and the OS sandbox. */
export const PolicyView = z.object({
  /** Allowed commands and where each came from (`default`, the organisation or project config). */
  allowed: z.array(z.object({ name: z.string(), source: z.string() })),
  blocked: z.array(z.string()),
  pkillProcesses: z.array(z.string()),
  npxPackages: z.array(z.string()),
  /** Whether bubblewrap works on this machine, so Bash can run in the OS sandbox. */
  sandbox: z.object({ available: z.boolean(), detail: z.string() }),
})
export type PolicyView = z.infer<typeof PolicyView>
