import { z } from 'zod'

import type { Result } from '../core/index.js'
import type { ToolContext } from './tool-context.js'
import type { ToolError } from './error-codes.js'

/**
 * One feature tool: the name and description the model sees, a zod input shape (also the JSON
 * schema the model sees), and a handler over the store. Handlers are synchronous (the store is)
 * and return a `Result`: the ok value becomes compact JSON text, the error an `isError` result.
 */
export interface FeatureToolSpec<Shape extends z.ZodRawShape> {
  name: string
  description: string
  input: Shape
  /** True when the tool never writes (an MCP annotation, and safe to expose to any agent). */
  readOnly: boolean
  run: (args: z.output<z.ZodObject<Shape>>, ctx: ToolContext) => Result<object, ToolError>
  /** Feature ids to log for a successful call when they are not all in the arguments. */
  loggedIds?: (args: z.output<z.ZodObject<Shape>>, value: object) => number[]
}

/** A tool with its types erased, so tools of different shapes can sit in one registry. */
export interface FeatureTool {
  name: string
  description: string
  input: z.ZodRawShape
  readOnly: boolean
  schema: z.ZodType<Record<string, unknown>>
  /** A one-line call signature for error messages, e.g. `{"feature_id": integer}`. */
  usage: string
  run: (args: Record<string, unknown>, ctx: ToolContext) => Result<object, ToolError>
  loggedIds?: (args: Record<string, unknown>, value: object) => number[]
}

export function defineTool<Shape extends z.ZodRawShape>(spec: FeatureToolSpec<Shape>): FeatureTool {
  const schema = z.object(spec.input)
  type Args = z.output<typeof schema>
  const tool: FeatureTool = {
    name: spec.name,
    description: spec.description,
    input: spec.input,
    readOnly: spec.readOnly,
    schema: schema,
    usage: usageOf(schema),
    run: (args, ctx) => spec.run(args as Args, ctx),
  }
  const loggedIds = spec.loggedIds
  if (loggedIds) tool.loggedIds = (args, value) => loggedIds(args as Args, value)
  return tool
}

interface JsonSchema {
  type?: string
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
}

function typeName(schema: JsonSchema): string {
  if (schema.type === 'array') return `array of ${schema.items ? typeName(schema.items) : 'values'}`
  if (schema.type === 'object' && schema.properties) {
    const required = new Set(schema.required ?? [])
    const keys = Object.keys(schema.properties).map((key) => (required.has(key) ? key : `${key}?`))
    return `{${keys.join(', ')}}`
  }
  return schema.type ?? 'value'
}

function usageOf(schema: z.ZodObject): string {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema
  const required = new Set(json.required ?? [])
  const fields = Object.entries(json.properties ?? {}).map(
    ([key, value]) => `"${key}"${required.has(key) ? '' : ' (optional)'}: ${typeName(value)}`,
  )
  return fields.length === 0 ? '{}' : `{${fields.join(', ')}}`
}
