import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { err, ok } from '../core/index.js'
import type { Result } from '../core/index.js'
import { renderTemplate } from './prompt-template.js'
import type { PromptError, TemplateVars } from './prompt-template.js'
import type { AgentError } from './error-codes.js'

/** The three agent roles the session loop runs. */
export type AgentRoleName = 'initializer' | 'coding' | 'testing'

/** Prompt files in `prompts/` (each may be overridden by `<project>/.autocoder/prompts/<name>.md`). */
export const PROMPT_NAMES = [
  'system',
  'initializer',
  'coding',
  'coding-batch',
  'testing',
  'workspace',
] as const
export type PromptName = (typeof PROMPT_NAMES)[number]

/** The bundled `prompts/` folder, found from this file both in `src/` (tsx) and in `dist/src/`. */
export function defaultPromptsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let up = 0; up < 5; up++) {
    const candidate = join(dir, 'prompts')
    if (existsSync(join(candidate, 'coding.md'))) return candidate
    dir = dirname(dir)
  }
  throw new Error(
    `The bundled prompts/ folder was not found above ${fileURLToPath(import.meta.url)}; the install is incomplete.`,
  )
}

/** Where a project keeps its prompt overrides. */
export function projectPromptsDir(projectDir: string): string {
  return join(projectDir, '.autocoder', 'prompts')
}

export interface PromptSources {
  /** Project whose `.autocoder/prompts/` overrides the defaults. */
  projectDir?: string | undefined
  /** Default templates (tests, benches); default: the bundled `prompts/`. */
  defaultsDir?: string | undefined
}

/** Loads one template: the project's override if it exists, else the bundled default. */
export function loadPromptTemplate(
  name: string,
  sources: PromptSources = {},
): Result<string, PromptError> {
  const candidates = [
    ...(sources.projectDir ? [join(projectPromptsDir(sources.projectDir), `${name}.md`)] : []),
    join(sources.defaultsDir ?? defaultPromptsDir(), `${name}.md`),
  ]
  for (const path of candidates) {
    if (existsSync(path)) return ok(readFileSync(path, 'utf8'))
  }
  return err(
    'PROMPT_NOT_FOUND',
    `No prompt template "${name}" in ${candidates.join(' or ')}; restore the file or remove the reference to it.`,
  )
}

/** What a session's prompt depends on. */
export interface PromptInput {
  role: AgentRoleName
  featureIds: readonly number[]
  /** The agent's dev server port. */
  port: number
  /** The agent's working directory (its worktree, or the project). */
  workdir: string
  /** The agent's branch when it works in its own worktree. */
  branch?: string | undefined
  /** Fast mode: no browser, verification by lint/type-check/server start. */
  yolo: boolean
  /** Initializer: how many features to create. */
  featureCount?: number | undefined
}

export interface BuiltPrompt {
  name: PromptName
  system: string
  prompt: string
}

/** Picks the template for a role: one coding feature, a coding batch, testing or the initializer. */
export function promptNameFor(role: AgentRoleName, featureCount: number): PromptName {
  if (role === 'coding') return featureCount > 1 ? 'coding-batch' : 'coding'
  return role
}

/** Renders the system prompt and the user prompt of one session. */
export function buildPrompt(
  input: PromptInput,
  sources: PromptSources = {},
): Result<BuiltPrompt, AgentError> {
  if (input.role !== 'initializer' && input.featureIds.length === 0) {
    return err(
      'PROMPT_NO_FEATURES',
      `A ${input.role} agent needs at least one feature id; pass --feature-ids.`,
    )
  }
  const name = promptNameFor(input.role, input.featureIds.length)
  const vars: TemplateVars = {
    FEATURE_ID: input.featureIds[0],
    FEATURE_IDS: input.featureIds.map((id) => `#${id}`).join(', '),
    FEATURE_COUNT: input.featureCount ?? 50,
    PORT: input.port,
    WORKDIR: input.workdir,
    BRANCH: input.branch ?? false,
    BROWSER: !input.yolo,
    YOLO: input.yolo,
  }
  const load = (partial: string): Result<string, PromptError> =>
    loadPromptTemplate(partial, sources)
  const render = (template: PromptName): Result<string, PromptError> => {
    const text = load(template)
    if (!text.ok) return text
    const rendered = renderTemplate(text.value, vars, load)
    return rendered.ok
      ? rendered
      : err(rendered.error.code, `prompt "${template}": ${rendered.error.message}`)
  }
  const system = render('system')
  if (!system.ok) return system
  const prompt = render(name)
  if (!prompt.ok) return prompt
  return ok({ name, system: system.value, prompt: prompt.value })
}
