import type { ScriptContext } from './model-request.js'

/**
 * Placeholders a scripted reply may use in its text, thinking and tool inputs:
 * `{{cwd}}`, `{{featureId}}` (first id), `{{featureIds}}` (all, "1,2,3"), `{{featureIds.N}}`,
 * `{{toolResult}}` (text of the first tool result in the request), `{{toolResults.N}}`,
 * `{{position}}`, `{{conversationId}}`, `{{marker.KEY}}` (value of a `[[KEY:value]]` marker).
 * A string that is exactly one placeholder takes the value's own type (a number, or an array for
 * `{{featureIds}}`), so `"feature_id": "{{featureId}}"` becomes a number. An unknown placeholder
 * is an error: the reply would otherwise silently carry the wrong text.
 */
export function templateValue(name: string, context: ScriptContext): unknown {
  const [head, index] = name.split('.', 2) as [string, string | undefined]
  const at = index === undefined ? undefined : Number(index)
  switch (head) {
    case 'cwd':
      return context.cwd
    case 'featureId':
      return context.featureIds[0]
    case 'featureIds':
      return at === undefined ? context.featureIds : context.featureIds[at]
    case 'toolResult':
      return context.toolResults[0]?.text
    case 'toolResults':
      return at === undefined ? undefined : context.toolResults[at]?.text
    case 'position':
      return context.position
    case 'conversationId':
      return context.conversationId
    case 'marker':
      return index === undefined ? undefined : context.markers[index]
    default:
      return undefined
  }
}

const placeholder = /\{\{\s*([\w.:-]+)\s*\}\}/g
const wholePlaceholder = /^\{\{\s*([\w.:-]+)\s*\}\}$/

export class TemplateError extends Error {}

function resolve(name: string, context: ScriptContext): unknown {
  const value = templateValue(name, context)
  if (value === undefined) {
    throw new TemplateError(
      `placeholder {{${name}}} has no value for this request (position ${context.position}); ` +
        'known: cwd, featureId, featureIds[.N], toolResult, toolResults.N, position, conversationId, marker.KEY',
    )
  }
  return value
}

function renderString(text: string, context: ScriptContext): unknown {
  const whole = wholePlaceholder.exec(text)
  if (whole?.[1] !== undefined) return resolve(whole[1], context)
  return text.replace(placeholder, (_match, name: string) => {
    const value = resolve(name, context)
    return Array.isArray(value) ? value.join(',') : String(value)
  })
}

/** Renders placeholders in every string inside `value` (deep); throws `TemplateError` on an unknown one. */
export function renderTemplate(value: unknown, context: ScriptContext): unknown {
  if (typeof value === 'string') return renderString(value, context)
  if (Array.isArray(value)) return value.map((item) => renderTemplate(item, context))
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, renderTemplate(item, context)]),
    )
  }
  return value
}

/** Like `renderTemplate` but always yields a string (for text and thinking blocks). */
export function renderText(text: string, context: ScriptContext): string {
  const value = renderTemplate(text, context)
  return Array.isArray(value) ? value.join(',') : String(value)
}
