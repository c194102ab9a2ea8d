import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, sep } from 'node:path'

import fastifyStatic from '@fastify/static'
import fastifyWebsocket from '@fastify/websocket'
import Fastify from 'fastify'
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify'

import { openDevServerSandbox } from '../agents/index.js'
import { systemClock } from '../core/index.js'
import type { Clock } from '../core/index.js'
import { autocoderHome, generateToken } from '../store/index.js'
import { makeAccessHook } from './access.js'
import { ApiRouter } from './api-router.js'
import { registerChatRoutes } from './chat/index.js'
import type { ChatDeps } from './chat/index.js'
import type { CommandChecker, DevServerSandboxOpener } from './dev-server/manager.js'
import { DevServerManager } from './dev-server/manager.js'
import { checkDevServerRunner } from './dev-server/runner-policy.js'
import { makeErrorHandler, sendError } from './errors.js'
import { Confinement } from './filesystem/confine.js'
import { buildOpenApiDocument } from './openapi.js'
import type { ProjectResolver } from './projects.js'
import { registerDevServerRoutes } from './routes/dev-server.js'
import { registerFilesystemRoutes } from './routes/filesystem.js'
import { registerHealthRoutes } from './routes/health.js'
import { registerTerminalRoutes } from './routes/terminal.js'
import { TerminalManager } from './terminal/manager.js'

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024
export const DEFAULT_WS_MAX_PAYLOAD_BYTES = 1024 * 1024

export interface ServerOptions {
  /** Host the server will listen on. Default 127.0.0.1. */
  host?: string
  /**
   * The access token every request and WebSocket must carry, loopback too. Default: a fresh one
   * for this process (`startAutocoderServer` passes the one kept in `$AUTOCODER_HOME`).
   */
  token?: string
  allowedHosts?: string[]
  allowedOrigins?: string[]
  homeDir?: string
  /** Folders the folder picker may browse (default: the home directory). */
  allowedRoots?: string[]
  /** Environment read for setup checks and, without secrets, given to children. */
  env?: NodeJS.ProcessEnv
  clock?: Clock
  /** false (default) for silence, true for pino defaults, or a logger instance. */
  logger?: boolean | FastifyBaseLogger
  bodyLimitBytes?: number
  wsMaxPayloadBytes?: number
  /** Check every response against its schema (tests). */
  validateResponses?: boolean
  /** Built UI to serve (default: ui/dist of the package if present; null for none). */
  uiDir?: string | null
  /** Looks projects up by name; the dev-server and terminal routes are registered only with it. */
  projects?: ProjectResolver
  /**
   * Approves dev-server commands. Default: the strict runner allowlist `checkDevServerRunner`;
   * production wiring adds the bash policy with `allCommandCheckers(checkDevServerRunner, ...)`.
   */
  checkCommand?: CommandChecker
  /**
   * Opens the sandbox a project's dev server runs in. Default: one over the project hiding the
   * home and AUTOCODER_HOME, refused where no sandbox works (`startAutocoderServer` adds the
   * project's settings and the other registered projects).
   */
  devServerSandbox?: DevServerSandboxOpener
  /** Shell for terminals (default $SHELL, /bin/bash, /bin/sh). */
  shell?: string
  version?: string
  /** Chat wiring besides `projects`: the server's stores (`openStore`), the run start (`startInitializer`). */
  chat?: Omit<ChatDeps, 'projects'>
}

/** A configured server, not yet listening. Add routes through `api` before `app.listen`/`ready`. */
export interface AutocoderServer {
  app: FastifyInstance
  api: ApiRouter
  /** The token required on every request and WebSocket. Never log it or send it in a response. */
  token: string
  host: string
  confinement: Confinement
  devServers: DevServerManager
  terminals: TerminalManager
  clock: Clock
}

function defaultUiDir(): string | null {
  const dir = join(import.meta.dirname, '..', '..', 'ui', 'dist')
  return existsSync(join(dir, 'index.html')) ? dir : null
}

/** Builds the Fastify app with access control, error mapping, OpenAPI and the infrastructure routes. */
export async function createServer(options: ServerOptions = {}): Promise<AutocoderServer> {
  const host = options.host ?? '127.0.0.1'
  const token = options.token ?? generateToken()
  const homeDir = options.homeDir ?? homedir()
  const env = options.env ?? process.env
  const clock = options.clock ?? systemClock
  const version = options.version ?? '0.1.0'
  const logger = options.logger ?? false
  const app = Fastify({
    ...loggerOptions(logger),
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    // Error responses never echo request data; the handler below shapes them all.
    return503OnClosing: true,
  })
  const confinement = await Confinement.create(homeDir, options.allowedRoots ?? [homeDir])
  const devServers = new DevServerManager({
    checkCommand: options.checkCommand ?? checkDevServerRunner,
    openSandbox:
      options.devServerSandbox ??
      ((project) =>
        openDevServerSandbox({
          projectDir: project.dir,
          autocoderHome: autocoderHome(env),
          env,
          homes: [homeDir],
          otherProjects: [],
          allowedHosts: [],
          unsandboxed: false,
        })),
    clock,
  })
  const terminals = new TerminalManager({
    clock,
    env,
    ...(options.shell ? { shell: options.shell } : {}),
  })

  app.setErrorHandler(makeErrorHandler(homeDir))
  app.addHook(
    'onRequest',
    makeAccessHook({
      boundHost: host,
      token,
      allowedHosts: options.allowedHosts ?? [],
      allowedOrigins: options.allowedOrigins ?? [],
    }),
  )
  app.addHook('onClose', async () => {
    terminals.closeAll()
    await devServers.stopAll()
  })
  await app.register(fastifyWebsocket, {
    options: { maxPayload: options.wsMaxPayloadBytes ?? DEFAULT_WS_MAX_PAYLOAD_BYTES },
  })

  const api = new ApiRouter(app, { homeDir, validateResponses: options.validateResponses ?? false })
  app.get('/api/openapi.json', () =>
    buildOpenApiDocument(api.docs, { title: 'autocoder', version }),
  )
  registerHealthRoutes(api, { version, probe: { env, homeDir } })
  registerFilesystemRoutes(api, confinement)
  if (options.projects) {
    registerDevServerRoutes(api, devServers, options.projects)
    registerTerminalRoutes(api, terminals, options.projects)
  }
  await registerUi(app, options.uiDir === undefined ? defaultUiDir() : options.uiDir)
  const server: AutocoderServer = {
    app,
    api,
    token,
    host,
    confinement,
    devServers,
    terminals,
    clock,
  }
  if (options.projects)
    registerChatRoutes(server, { env, homeDir, ...options.chat, projects: options.projects })
  return server
}

/** Request URLs are logged without their `?token=` (the start address carries the token). */
function loggedRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: request.url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]'),
    remoteAddress: request.ip,
  }
}

function loggerOptions(
  logger: boolean | FastifyBaseLogger,
): { logger: boolean | object } | { loggerInstance: FastifyBaseLogger } {
  if (logger === false) return { logger: false }
  const serializers = { req: loggedRequest }
  return logger === true
    ? { logger: { serializers } }
    : { loggerInstance: logger.child({}, { serializers }) }
}

async function registerUi(app: FastifyInstance, uiDir: string | null): Promise<void> {
  if (uiDir !== null) {
    const assets = join(uiDir, 'assets', sep)
    await app.register(fastifyStatic, {
      root: uiDir,
      wildcard: false,
      index: ['index.html'],
      // Built code and styles as the build gzipped them (ui/precompress.ts), when the browser accepts it.
      preCompressed: true,
      // The build names its code by content: a browser keeps it instead of asking again on every
      // load (index.html, which names them, is checked each time).
      setHeaders: (reply, path) => {
        if (path.startsWith(assets))
          reply.header('cache-control', 'public, max-age=31536000, immutable')
      },
    })
  }
  app.setNotFoundHandler((request, reply) => {
    const isApi = request.url.startsWith('/api') || request.url.startsWith('/ws')
    if (uiDir !== null && request.method === 'GET' && !isApi) return reply.sendFile('index.html')
    return sendError(
      reply,
      404,
      'ROUTE_NOT_FOUND',
      `No route ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}.`,
    )
  })
}
