import { err, ok } from '../core/index.js'
import type { AppError, Result } from '../core/index.js'
import type { AgentErrorCode } from './error-codes.js'

export type PromptErrorCode = Extract<
  AgentErrorCode,
  'PROMPT_NOT_FOUND' | 'PROMPT_PLACEHOLDER_UNKNOWN' | 'PROMPT_SYNTAX'
>
export type PromptError = AppError<PromptErrorCode>

/** Values a template may use; `false`/`undefined` make `{{#if NAME}}` take its `{{else}}` part. */
export type TemplateVars = Readonly<Record<string, string | number | boolean | undefined>>

const MAX_PARTIAL_DEPTH = 4
const conditional = /\{\{#if ([A-Z_]+)\}\}((?:(?!\{\{#if )[\s\S])*?)\{\{\/if\}\}/
const partial = /\{\{> ?([\w-]+)\}\}/g
const placeholder = /\{\{([A-Z_]+)\}\}/g

/**
 * Renders a prompt template: `{{> name}}` includes a partial, `{{#if NAME}}a{{else}}b{{/if}}`
 * picks a part, `{{NAME}}` is replaced by its value. An unknown name is an error, so a typo in
 * a project's override is reported instead of being sent to the model.
 */
export function renderTemplate(
  template: string,
  vars: TemplateVars,
  loadPartial: (name: string) => Result<string, PromptError>,
  depth = 0,
): Result<string, PromptError> {
  let text = template
  for (const match of [...text.matchAll(partial)]) {
    if (depth >= MAX_PARTIAL_DEPTH)
      return err(
        'PROMPT_SYNTAX',
        `Partials nest deeper than ${MAX_PARTIAL_DEPTH} at "${match[0]}"; remove the cycle.`,
      )
    const loaded = loadPartial(match[1]!)
    if (!loaded.ok) return err('PROMPT_NOT_FOUND', loaded.error.message)
    const rendered = renderTemplate(loaded.value.trimEnd(), vars, loadPartial, depth + 1)
    if (!rendered.ok) return rendered
    text = text.replace(match[0], rendered.value)
  }
  for (let found = conditional.exec(text); found; found = conditional.exec(text)) {
    const [whole, name, body] = found as unknown as [string, string, string]
    if (!(name in vars)) return err('PROMPT_PLACEHOLDER_UNKNOWN', unknownMessage(name, vars))
    const [yes, no = ''] = body.split('{{else}}')
    text = text.replace(whole, isTruthy(vars[name]) ? yes! : no)
  }
  if (/\{\{[#/]/.test(text))
    return err(
      'PROMPT_SYNTAX',
      'A {{#if}} has no matching {{/if}} (or the reverse); fix the template.',
    )
  let unknown: string | undefined
  text = text.replace(placeholder, (_whole, name: string) => {
    if (!(name in vars)) unknown ??= name
    const value = vars[name]
    return value === undefined || value === false ? '' : String(value)
  })
  if (unknown !== undefined) return err('PROMPT_PLACEHOLDER_UNKNOWN', unknownMessage(unknown, vars))
  return ok(tidy(text))
}

function isTruthy(value: string | number | boolean | undefined): boolean {
  return value !== undefined && value !== false && value !== '' && value !== 0
}

function unknownMessage(name: string, vars: TemplateVars): string {
  return `The prompt uses {{${name}}}, which is not defined; known placeholders: ${Object.keys(vars).sort().join(', ')}.`
}

/** Lines left empty by conditionals collapse to one blank line; the text ends with one newline. */
function tidy(text: string): string {
  return `${text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`
}
