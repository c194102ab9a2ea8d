// The schemas of the policy config files. load-policy.ts imports this module (and zod, and the
// YAML parser) only when a config file exists, so a policy without config loads neither.
import { z } from 'zod'

const CommandEntry = z.object({
  name: z.string().trim().min(1),
  description: z.string().optional(),
})
const ProcessName = z
  .string()
  .regex(/^[A-Za-z0-9._-]+$/, 'process names may use only letters, digits, . _ -')
const PackageName = z
  .string()
  .regex(/^(@[a-z0-9._~-]+\/)?[a-z0-9._~-]+$/i, 'not an npm package name')
const Version = z.union([z.number(), z.string()])

/** Org-level `$AUTOCODER_HOME/config.yaml` (other top-level keys belong to other settings). */
export const OrgPolicyConfig = z.looseObject({
  version: Version,
  allowed_commands: z.array(CommandEntry).default([]),
  blocked_commands: z.array(z.string().trim().min(1)).default([]),
  pkill_processes: z.array(ProcessName).default([]),
  npx_packages: z.array(PackageName).default([]),
  approval_timeout_minutes: z.number().optional(),
})
export type OrgPolicyConfig = z.infer<typeof OrgPolicyConfig>

/** Project-level `<project>/.autocoder/allowed_commands.yaml`. */
export const ProjectPolicyConfig = z.strictObject({
  version: Version,
  commands: z.array(CommandEntry).max(100).default([]),
  pkill_processes: z.array(ProcessName).default([]),
  npx_packages: z.array(PackageName).default([]),
})
export type ProjectPolicyConfig = z.infer<typeof ProjectPolicyConfig>
