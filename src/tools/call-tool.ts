import { performance } from 'node:perf_hooks'

import type { z } from 'zod'

import { err } from '../core/index.js'
import type { AppError, Result } from '../core/index.js'
import type { FeatureTool } from './define-tool.js'
import { isOperator } from './tool-context.js'
import type { ToolContext } from './tool-context.js'
import type { ToolError } from './error-codes.js'

/** What an MCP tool call returns: one text block of compact JSON; `isError` on failure. */
export interface ToolCallResult {
  [key: string]: unknown
  content: Array<{ type: 'text'; text: string }>
  isError?: boolean
}

/** Most issues listed in an invalid-input message (a 10,000-item array can have thousands). */
const MAX_LISTED_ISSUES = 3

/**
 * Runs one tool call the same way for every transport: parses the raw arguments, renews the
 * calling agent's leases, runs the handler, turns the result into compact JSON text (errors into an
 * `isError` result whose text tells the model what to do next, never a stack trace) and appends a
 * `tool.called` event.
 */
export function callFeatureTool(
  tool: FeatureTool,
  ctx: ToolContext,
  rawArgs: unknown,
): ToolCallResult {
  const started = performance.now()
  let featureIds: number[] = []
  let result: Result<object, ToolError>
  try {
    const parsed = tool.schema.safeParse(rawArgs ?? {})
    if (!parsed.success) {
      result = err('INVALID_INPUT', describeInvalidInput(tool, parsed.error))
    } else {
      featureIds = idsInArguments(parsed.data)
      if (!isOperator(ctx)) ctx.store.claims.heartbeat(ctx.callerId, ctx.leaseMs)
      result = tool.run(parsed.data, ctx)
      if (result.ok && tool.loggedIds) featureIds = tool.loggedIds(parsed.data, result.value)
    }
  } catch (cause) {
    result = err(
      'TOOL_FAILED',
      `${tool.name} failed inside autocoder (${cause instanceof Error ? cause.message : String(cause)}); call it once more, and if it fails again continue with other work and mention the failure in a note.`,
      cause,
    )
  }
  ctx.store.events.append({
    type: 'tool.called',
    tool: tool.name,
    caller: ctx.callerId,
    featureIds: [...new Set(featureIds)],
    outcome: result.ok ? 'ok' : 'error',
    durationMs: performance.now() - started,
    ...(result.ok ? {} : { message: result.error.message }),
  })
  return result.ok ? textResult(result.value) : errorResult(result.error)
}

function textResult(value: object): ToolCallResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }] }
}

function errorResult(error: AppError): ToolCallResult {
  return {
    content: [{ type: 'text', text: JSON.stringify({ error: error.message, code: error.code }) }],
    isError: true,
  }
}

function describeInvalidInput(tool: FeatureTool, error: z.ZodError): string {
  const issues = error.issues.slice(0, MAX_LISTED_ISSUES).map((issue) => {
    const path = issue.path.map(String).join('.')
    return `${path === '' ? 'arguments' : path}: ${issue.message}`
  })
  const more =
    error.issues.length > MAX_LISTED_ISSUES
      ? ` (and ${error.issues.length - MAX_LISTED_ISSUES} more)`
      : ''
  return `Invalid arguments for ${tool.name}: ${issues.join('; ')}${more}. Nothing was changed; call ${tool.name} again with ${tool.usage}.`
}

/** Feature ids named by the (parsed) arguments: `feature_id`, `dependency_id`, `dependency_ids`. */
function idsInArguments(args: Record<string, unknown>): number[] {
  const ids: number[] = []
  for (const key of ['feature_id', 'dependency_id']) {
    const value = args[key]
    if (typeof value === 'number') ids.push(value)
  }
  const list = args['dependency_ids']
  if (Array.isArray(list))
    ids.push(...list.filter((value): value is number => typeof value === 'number'))
  return ids
}
