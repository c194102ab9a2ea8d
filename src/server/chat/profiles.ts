import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { defaultPromptsDir, loadPromptTemplate } from '../../agents/index.js'
import type { ChatKind } from '../../core/api/index.js'
import { ok } from '../../core/index.js'
import type { Result } from '../../core/index.js'
import { readSpec } from './spec-files.js'
import type { ServerError } from '../error-codes.js'

/** What differs between the three chats. */
export interface ChatProfile {
  kind: ChatKind
  /** Prompt file in prompts/ (a project may override it in .autocoder/prompts/). */
  promptName: string
  /** The chat cannot start without a spec. */
  needsSpec: boolean
  /** First model turn of a new conversation; null: send `greeting` instead. */
  opening: string | null
  greeting: string
  maxTurns: number
}

export const PROFILES: Readonly<Record<ChatKind, ChatProfile>> = {
  spec: {
    kind: 'spec',
    promptName: 'spec-chat',
    needsSpec: false,
    opening: 'Begin the spec creation process: greet me briefly and ask your first question.',
    greeting: '',
    maxTurns: 40,
  },
  expand: {
    kind: 'expand',
    promptName: 'expand-chat',
    needsSpec: true,
    opening: 'Begin: greet me briefly and ask what I would like to add to the project.',
    greeting: '',
    maxTurns: 60,
  },
  assistant: {
    kind: 'assistant',
    promptName: 'assistant',
    needsSpec: false,
    opening: null,
    greeting:
      "Hello! I'm your project assistant. Ask me about the code, the spec or the progress of the features.",
    maxTurns: 40,
  },
}

/** Characters of the spec put into the expand and assistant prompts. */
const SPEC_CHARS: Readonly<Record<ChatKind, number>> = {
  spec: 60_000,
  expand: 60_000,
  assistant: 5_000,
}

function fill(template: string, vars: Readonly<Record<string, string>>): string {
  // One pass, so text inserted for a placeholder is never scanned again.
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (whole, name: string) => vars[name] ?? whole)
}

/** The system prompt of a chat for a project. */
export function systemPromptFor(
  profile: ChatProfile,
  project: { name: string; dir: string },
  promptsDir?: string,
): Result<string, ServerError> {
  const template = loadPromptTemplate(profile.promptName, {
    projectDir: project.dir,
    defaultsDir: promptsDir,
  })
  if (!template.ok) return template
  const spec = readSpec(project.dir)
  const limit = SPEC_CHARS[profile.kind]
  const specText =
    spec === null
      ? '(No specification yet.)'
      : spec.text.length > limit
        ? `${spec.text.slice(0, limit)}\n[... truncated]`
        : spec.text
  let specTemplate = ''
  if (profile.kind === 'spec')
    specTemplate = readFileSync(
      join(promptsDir ?? defaultPromptsDir(), 'app_spec.template.txt'),
      'utf8',
    ).trimEnd()
  return ok(
    fill(template.value, {
      PROJECT_NAME: project.name,
      APP_SPEC: specText,
      SPEC_TEMPLATE: specTemplate,
    }),
  )
}
