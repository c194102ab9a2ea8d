import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type {} from '@fastify/websocket'
import type { WebSocket } from 'ws'
import type { z } from 'zod'

import type { Result } from '../core/index.js'
import type { ServerError } from './error-codes.js'
import { describeZodError, sendAppError, sendError } from './errors.js'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

type Out<S> = S extends z.ZodType ? z.output<S> : undefined

/** What a handler receives: parsed params, query and body, plus the raw request for rare needs. */
export interface RouteInput<P, Q, B> {
  params: Out<P>
  query: Out<Q>
  body: Out<B>
  request: FastifyRequest
  reply: FastifyReply
}

/** One HTTP route: its zod schemas (validation and OpenAPI) and a handler returning a `Result`. */
export interface RouteSpec<
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType,
> {
  method: HttpMethod
  /** Fastify path syntax: `/api/things/:id`. */
  url: string
  summary: string
  tags?: string[]
  params?: P
  query?: Q
  body?: B
  response: R
  /** Status of a successful answer (200 unless given; 204 sends no body). */
  status?: number
  handler: (
    input: RouteInput<P, Q, B>,
  ) => Promise<Result<z.input<R>, ServerError>> | Result<z.input<R>, ServerError>
}

/** A WebSocket route, documented in the OpenAPI document as an extension (`x-websocket`). */
export interface SocketSpec<P extends z.ZodType | undefined> {
  url: string
  summary: string
  tags?: string[]
  params?: P
  clientFrame: z.ZodType
  serverFrame: z.ZodType
  handler: (socket: WebSocket, input: { params: Out<P>; request: FastifyRequest }) => void
}

/** What the OpenAPI builder needs to know about each registered route. */
export interface RouteDoc {
  method: HttpMethod | 'WS'
  url: string
  summary: string
  tags: string[]
  params?: z.ZodType
  query?: z.ZodType
  body?: z.ZodType
  response?: z.ZodType
  status: number
  clientFrame?: z.ZodType
  serverFrame?: z.ZodType
}

export interface ApiRouterOptions {
  homeDir: string
  /** Parse every response with its schema before sending (tests; costs time on big lists). */
  validateResponses: boolean
}

function parsePart(
  schema: z.ZodType | undefined,
  value: unknown,
  location: string,
  reply: FastifyReply,
): { ok: true; value: unknown } | { ok: false } {
  if (schema === undefined) return { ok: true, value: undefined }
  const parsed = schema.safeParse(value ?? (location === 'body' ? undefined : {}))
  if (parsed.success) return { ok: true, value: parsed.data }
  void sendError(reply, 400, 'INVALID_INPUT', describeZodError(parsed.error, location))
  return { ok: false }
}

/**
 * Registers routes with their zod schemas so that validation, error mapping and the OpenAPI
 * document all come from one declaration. Every route added through it appears in
 * `/api/openapi.json` automatically.
 */
export class ApiRouter {
  readonly #docs: RouteDoc[] = []

  constructor(
    readonly app: FastifyInstance,
    private readonly options: ApiRouterOptions,
  ) {}

  get docs(): readonly RouteDoc[] {
    return this.#docs
  }

  route<
    P extends z.ZodType | undefined = undefined,
    Q extends z.ZodType | undefined = undefined,
    B extends z.ZodType | undefined = undefined,
    R extends z.ZodType = z.ZodType,
  >(spec: RouteSpec<P, Q, B, R>): void {
    const status = spec.status ?? 200
    this.#docs.push({
      ...this.#docBase(spec),
      method: spec.method,
      status,
      ...optional(spec),
      response: spec.response,
    })
    this.app.route({
      method: spec.method,
      url: spec.url,
      handler: async (request, reply) => {
        const params = parsePart(spec.params, request.params, 'params', reply)
        if (!params.ok) return reply
        const query = parsePart(spec.query, request.query, 'query', reply)
        if (!query.ok) return reply
        const body = parsePart(spec.body, request.body, 'body', reply)
        if (!body.ok) return reply
        const result = await spec.handler({
          params: params.value as Out<P>,
          query: query.value as Out<Q>,
          body: body.value as Out<B>,
          request,
          reply,
        })
        if (!result.ok) return sendAppError(reply, result.error, this.options.homeDir)
        if (status === 204) return reply.code(204).send()
        const value = this.options.validateResponses
          ? spec.response.parse(result.value)
          : result.value
        return reply.code(status).send(value)
      },
    })
  }

  socket<P extends z.ZodType | undefined = undefined>(spec: SocketSpec<P>): void {
    this.#docs.push({
      ...this.#docBase(spec),
      method: 'WS',
      status: 101,
      ...(spec.params ? { params: spec.params } : {}),
      clientFrame: spec.clientFrame,
      serverFrame: spec.serverFrame,
    })
    this.app.get(spec.url, { websocket: true }, (socket, request) => {
      const parsed = spec.params
        ? spec.params.safeParse(request.params)
        : { success: true as const, data: undefined }
      if (!parsed.success) {
        socket.send(
          JSON.stringify({
            type: 'error',
            code: 'INVALID_INPUT',
            message: describeZodError(parsed.error, 'params'),
          }),
        )
        socket.close(4000, 'invalid parameters')
        return
      }
      spec.handler(socket, { params: parsed.data as Out<P>, request })
    })
  }

  #docBase(spec: {
    url: string
    summary: string
    tags?: string[]
  }): Pick<RouteDoc, 'url' | 'summary' | 'tags'> {
    return { url: spec.url, summary: spec.summary, tags: spec.tags ?? [] }
  }
}

function optional(spec: {
  params?: z.ZodType | undefined
  query?: z.ZodType | undefined
  body?: z.ZodType | undefined
}): Partial<RouteDoc> {
  const doc: Partial<RouteDoc> = {}
  if (spec.params) doc.params = spec.params
  if (spec.query) doc.query = spec.query
  if (spec.body) doc.body = spec.body
  return doc
}
