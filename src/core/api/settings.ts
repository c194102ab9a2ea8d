import { z } from 'zod'

import { SandboxKindName } from '../events.js'
import type { CoreErrorCode } from '../error-codes.js'
import { err, ok } from '../result.js'
import type { AppError, Result } from '../result.js'

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
  /**
   * Run agents without the OS sandbox: the person accepts that agent-written code can read their
   * credentials and write outside the project. Without it a run refuses to start where the
   * sandbox cannot.
   */
  unsandboxed: z.boolean(),
  /** Hosts agent code may reach besides the npm registry: `host`, `*.domain` or `host:port`. */
  allowed_hosts: z
    .array(
      z
        .string()
        .trim()
        .max(260)
        .regex(
          /^(\*\.)?[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/,
          'must be "host", "*.domain", "host:port" or "[ipv6]:port"',
        ),
    )
    .max(100),
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

/**
 * The known settings of one level (global or project) as stored, parsed; unknown keys (old ones
 * such as `os_sandbox`) are ignored, a known one of the wrong shape is `SETTINGS_INVALID`.
 */
export function parseStoredSettings(
  stored: Readonly<Record<string, unknown>> | undefined,
  where: 'global' | 'project',
): Result<ProjectSettings, AppError<Extract<CoreErrorCode, 'SETTINGS_INVALID'>>> {
  const known = Object.fromEntries(
    SETTING_NAMES.filter((key) => stored?.[key] !== undefined).map((key) => [key, stored?.[key]]),
  )
  const parsed = ProjectSettings.safeParse(known)
  if (parsed.success) return ok(parsed.data)
  const key = parsed.error.issues[0]?.path[0]
  const name = typeof key === 'string' ? key : ''
  return err(
    'SETTINGS_INVALID',
    `The ${where} setting ${name} is invalid (${parsed.error.issues[0]?.message ?? 'bad value'}): ${JSON.stringify(stored?.[name])}; change or remove it (PATCH the settings API with a valid value, or null).`,
  )
}

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
  /** The OS sandbox agent code runs in, tested on this machine (`probeSandbox`). */
  sandbox: z.object({
    available: z.boolean(),
    kind: SandboxKindName,
    detail: z.string(),
    /** What to install or do when it is not available. */
    fix: z.string().nullable(),
  }),
})
export type PolicyView = z.infer<typeof PolicyView>
