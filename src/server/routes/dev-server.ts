import { z } from 'zod'

import { DevServerStartBody, DevServerStatus } from '../../core/api/index.js'
import { ok } from '../../core/index.js'
import type { ApiRouter } from '../api-router.js'
import type { DevServerManager } from '../dev-server/manager.js'
import type { ProjectResolver } from '../projects.js'
import { ProjectName } from '../projects.js'

const Params = z.object({ project: ProjectName })

export function registerDevServerRoutes(
  api: ApiRouter,
  devServers: DevServerManager,
  projects: ProjectResolver,
): void {
  const base = '/api/projects/:project/devserver'
  api.route({
    method: 'GET',
    url: `${base}/status`,
    summary: "The project's dev server: state, URL, command",
    tags: ['dev-server'],
    params: Params,
    response: DevServerStatus,
    handler: async ({ params }) => {
      const project = await projects(params.project)
      return project.ok ? ok(devServers.status(project.value.name)) : project
    },
  })
  api.route({
    method: 'POST',
    url: `${base}/start`,
    summary:
      'Start the dev server (argv from the request, else detected); checked by the command policy',
    tags: ['dev-server'],
    params: Params,
    body: DevServerStartBody.optional(),
    response: DevServerStatus,
    handler: async ({ params, body }) => {
      const project = await projects(params.project)
      if (!project.ok) return project
      return devServers.start(project.value, body?.command)
    },
  })
  api.route({
    method: 'POST',
    url: `${base}/stop`,
    summary: 'Stop the dev server and its whole process group',
    tags: ['dev-server'],
    params: Params,
    response: DevServerStatus,
    handler: async ({ params }) => {
      const project = await projects(params.project)
      if (!project.ok) return project
      return devServers.stop(project.value.name)
    },
  })
}
