import { z } from 'zod'

import { ApiErrorBody } from '../core/api/index.js'
import type { RouteDoc } from './api-router.js'

type JsonSchema = Record<string, unknown>

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as JsonSchema
  delete json.$schema
  return json
}

/** Turns an object schema (params or query) into OpenAPI parameter objects. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (schema === undefined) return []
  const json = toSchema(schema, 'input')
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>
  const required = new Set((json.required ?? []) as string[])
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
  }))
}

function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')
}

function operation(doc: RouteDoc): JsonSchema {
  const errorResponse = {
    description: 'Error',
    content: { 'application/json': { schema: toSchema(ApiErrorBody, 'output') } },
  }
  const op: JsonSchema = {
    summary: doc.summary,
    tags: doc.tags,
    parameters: [...parameters(doc.params, 'path'), ...parameters(doc.query, 'query')],
  }
  if (doc.method === 'WS') {
    op['x-websocket'] = {
      clientFrame: doc.clientFrame ? toSchema(doc.clientFrame, 'input') : {},
      serverFrame: doc.serverFrame ? toSchema(doc.serverFrame, 'output') : {},
    }
    op.responses = {
      '101': { description: 'Switching to the WebSocket protocol' },
      '4XX': errorResponse,
    }
    return op
  }
  if (doc.body) {
    op.requestBody = {
      required: !doc.body.safeParse(undefined).success,
      content: { 'application/json': { schema: toSchema(doc.body, 'input') } },
    }
  }
  const success =
    doc.status === 204 || doc.response === undefined
      ? { description: 'No content' }
      : {
          description: 'Success',
          content: { 'application/json': { schema: toSchema(doc.response, 'output') } },
        }
  op.responses = { [String(doc.status)]: success, '4XX': errorResponse, '5XX': errorResponse }
  return op
}

/** The OpenAPI 3.1 document of every route registered through the `ApiRouter`. */
export function buildOpenApiDocument(
  docs: readonly RouteDoc[],
  info: { title: string; version: string },
): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {}
  for (const doc of docs) {
    const path = openApiPath(doc.url)
    const method = doc.method === 'WS' ? 'get' : doc.method.toLowerCase()
    paths[path] ??= {}
    paths[path][method] = operation(doc)
  }
  return {
    openapi: '3.1.0',
    info,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'Required when the server is bound to a non-loopback host.',
        },
      },
    },
    paths,
  }
}
