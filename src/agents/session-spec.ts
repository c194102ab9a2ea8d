import { ok } from '../core/index.js'
import type { Result } from '../core/index.js'
import { buildPrompt } from './prompts.js'
import type { AgentRoleName, PromptSources } from './prompts.js'
import type { SessionSpec } from './runtime.js'
import type { SessionWiring } from './wire-session.js'
import type { AgentError } from './error-codes.js'

export const MAX_TURNS: Readonly<Record<AgentRoleName, number>> = {
  initializer: 300,
  coding: 300,
  testing: 100,
}

export interface RoleSessionInput {
  agentId: string
  role: AgentRoleName
  featureIds: readonly number[]
  model: string
  /** The agent's working directory (worktree or project). */
  cwd: string
  port: number
  branch?: string | undefined
  featureCount?: number | undefined
  /** The complete model-process environment (see `modelProcessEnv`). */
  env: Readonly<Record<string, string>>
  /** Tools, servers, hooks and scope from `wireSession`. */
  wiring: Pick<SessionWiring, 'tools' | 'mcpServers' | 'hooks' | 'browser'>
  prompts?: PromptSources
  claudePath?: string | undefined
  maxTurns?: number | undefined
  /** Text appended to the prompt (e.g. routing markers for the scripted model). */
  promptSuffix?: string | undefined
}

/**
 * The session spec of one agent: its prompt (which says whether the browser tools are on) around
 * the tools, servers and hooks `wireSession` decided.
 */
export function buildSessionSpec(input: RoleSessionInput): Result<SessionSpec, AgentError> {
  const prompt = buildPrompt(
    {
      role: input.role,
      featureIds: input.featureIds,
      port: input.port,
      workdir: input.cwd,
      branch: input.branch,
      yolo: !input.wiring.browser,
      featureCount: input.featureCount,
    },
    input.prompts,
  )
  if (!prompt.ok) return prompt
  return ok({
    agentId: input.agentId,
    featureIds: input.featureIds,
    prompt: input.promptSuffix
      ? `${prompt.value.prompt}\n${input.promptSuffix}\n`
      : prompt.value.prompt,
    systemPrompt: prompt.value.system,
    model: input.model,
    cwd: input.cwd,
    env: input.env,
    tools: [...input.wiring.tools],
    mcpServers: input.wiring.mcpServers,
    hooks: input.wiring.hooks,
    maxTurns: input.maxTurns ?? MAX_TURNS[input.role],
    claudePath: input.claudePath,
  })
}
