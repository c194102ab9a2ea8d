import { mkdir, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

import { z } from 'zod'

import {
  ProjectCreateBody,
  ProjectDeleteQuery,
  ProjectDeleteResponse,
  ProjectImportBody,
  ProjectImportResponse,
  ProjectPatchBody,
  ProjectSummary,
} from '../../core/api/index.js'
import { err, ok } from '../../core/index.js'
import type { Result } from '../../core/index.js'
import { projectDataDir, importReferenceProject } from '../../store/index.js'
import type { ApiRouter } from '../api-router.js'
import type { Confinement } from '../filesystem/confine.js'
import { ProjectName } from '../projects.js'
import type { AppServices } from '../services.js'
import { projectSummary } from './project-summary.js'
import type { ServerError } from '../error-codes.js'

const Params = z.object({ project: ProjectName })

/** A folder for a new project: an existing allowed folder, or a new one created in an allowed folder. */
async function projectFolder(
  confinement: Confinement,
  input: string,
  create: boolean,
): Promise<Result<string, ServerError>> {
  const normalized = confinement.normalize(input)
  if (!normalized.ok) return normalized
  const existing = await confinement.resolveDirectory(normalized.value)
  if (existing.ok) {
    if (confinement.roots.includes(existing.value))
      return err(
        'BLOCKED_PATH',
        'An allowed root itself cannot be a project; pick or create a folder inside it.',
      )
    return existing
  }
  if (existing.error.code !== 'NOT_FOUND' || !create) return existing
  const parent = await confinement.resolveDirectory(dirname(normalized.value))
  if (!parent.ok)
    return parent.error.code === 'NOT_FOUND'
      ? err('NOT_FOUND', 'The parent folder does not exist; create it first.')
      : parent
  const target = join(parent.value, basename(normalized.value))
  if (!confinement.isAllowed(target))
    return err('BLOCKED_PATH', 'This name cannot be used for a project folder.')
  await mkdir(target)
  return ok(target)
}

function checkFree(services: AppServices, name: string, dir: string): Result<void, ServerError> {
  if (services.hub.registry.get(name))
    return err(
      'PROJECT_EXISTS',
      `A project named "${name}" is already registered; pick another name.`,
    )
  const other = services.hub.registry.byPath(dir)
  if (other) return err('PROJECT_EXISTS', `That folder is already registered as "${other.name}".`)
  return ok(undefined)
}

/** Projects: list with stats, create, import (folder or reference board), get, edit, delete with confirmation. */
export function registerProjectRoutes(api: ApiRouter, services: AppServices): void {
  const { hub } = services
  api.route({
    method: 'GET',
    url: '/api/projects',
    summary: 'Registered projects with their stats and whether a run holds them',
    tags: ['projects'],
    response: z.array(ProjectSummary),
    handler: () => ok(hub.registry.list().map((project) => projectSummary(services, project))),
  })
  api.route({
    method: 'POST',
    url: '/api/projects',
    summary:
      'Create a project in a folder inside the allowed roots (created when missing) and register it',
    tags: ['projects'],
    body: ProjectCreateBody,
    response: ProjectSummary,
    status: 201,
    handler: ({ body }) => createProject(services, body),
  })
  api.route({
    method: 'POST',
    url: '/api/projects/import',
    summary:
      'Register an existing folder; with reference: true, import the Python reference board it holds',
    tags: ['projects'],
    body: ProjectImportBody,
    response: ProjectImportResponse,
    status: 201,
    handler: ({ body }) => importProject(services, body),
  })
  api.route({
    method: 'GET',
    url: '/api/projects/:project',
    summary: 'One project with its stats',
    tags: ['projects'],
    params: Params,
    response: ProjectSummary,
    handler: ({ params }) => {
      const opened = hub.open(params.project)
      return opened.ok ? ok(projectSummary(services, opened.value.project)) : opened
    },
  })
  api.route({
    method: 'PATCH',
    url: '/api/projects/:project',
    summary: "Change a project's default concurrency",
    tags: ['projects'],
    params: Params,
    body: ProjectPatchBody,
    response: ProjectSummary,
    handler: ({ params, body }) => {
      const changed = hub.registry.setDefaultConcurrency(params.project, body.defaultConcurrency)
      return changed.ok ? ok(projectSummary(services, changed.value)) : changed
    },
  })
  api.route({
    method: 'DELETE',
    url: '/api/projects/:project',
    summary:
      'Unregister a project (?confirm=<name>); its files are deleted only with deleteFiles=true and inside the allowed roots',
    tags: ['projects'],
    params: Params,
    query: ProjectDeleteQuery,
    response: ProjectDeleteResponse,
    handler: ({ params, query }) => deleteProject(services, params.project, query),
  })
}

/** Creates the folder (inside the allowed roots) with its data folder and registers it. */
async function createProject(
  services: AppServices,
  body: ProjectCreateBody,
): Promise<Result<ProjectSummary, ServerError>> {
  if (services.hub.registry.get(body.name))
    return err(
      'PROJECT_EXISTS',
      `A project named "${body.name}" is already registered; pick another name.`,
    )
  const folder = await projectFolder(services.confinement, body.path, true)
  if (!folder.ok) return folder
  const free = checkFree(services, body.name, folder.value)
  if (!free.ok) return free
  await mkdir(join(projectDataDir(folder.value), 'prompts'), { recursive: true })
  const added = services.hub.registry.add(body.name, folder.value)
  if (!added.ok) return added
  if (body.defaultConcurrency !== undefined)
    services.hub.registry.setDefaultConcurrency(body.name, body.defaultConcurrency)
  return ok(projectSummary(services, services.hub.registry.get(body.name)!))
}

/** Registers an existing folder; imports the Python reference board it holds when asked. */
async function importProject(
  services: AppServices,
  body: ProjectImportBody,
): Promise<Result<ProjectImportResponse, ServerError>> {
  const folder = await projectFolder(services.confinement, body.path, false)
  if (!folder.ok) return folder
  const free = checkFree(services, body.name, folder.value)
  if (!free.ok) return free
  let imported: ProjectImportResponse['imported'] = null
  if (body.reference) {
    const report = importReferenceProject(folder.value)
    if (!report.ok) return report
    const { features, passing, needsHuman, specCopied, warnings } = report.value
    imported = { features, passing, needsHuman, specCopied, warnings }
  }
  const added = services.hub.registry.add(body.name, folder.value)
  if (!added.ok) return added
  return ok({ project: projectSummary(services, added.value), imported })
}

/** Unregisters a project once confirmed; deletes its files only when asked and not a root. */
async function deleteProject(
  services: AppServices,
  name: string,
  query: z.output<typeof ProjectDeleteQuery>,
): Promise<Result<z.input<typeof ProjectDeleteResponse>, ServerError>> {
  const project = services.hub.registry.get(name)
  if (!project) return err('PROJECT_NOT_FOUND', `No project named "${name}" is registered.`)
  if (query.confirm !== name)
    return err(
      'CONFIRMATION_REQUIRED',
      `Repeat the project's name as ?confirm=${name} to delete it.`,
    )
  const opened = services.hub.open(name)
  if (opened.ok && services.runs.isHeld(name, opened.value.store)) {
    return err(
      'RUN_ACTIVE',
      `Project ${name} is running; stop the run before deleting the project.`,
    )
  }
  let folder: string | null = null
  if (query.deleteFiles === true) {
    const resolved = await services.confinement.resolveDirectory(project.path)
    if (!resolved.ok)
      return err(
        resolved.error.code,
        `The project's files cannot be deleted: ${resolved.error.message}`,
      )
    if (services.confinement.roots.includes(resolved.value))
      return err('BLOCKED_PATH', 'The project folder is an allowed root; it is not deleted.')
    folder = resolved.value
  }
  await services.devServers.stop(name)
  services.closeProject(name)
  services.hub.registry.remove(name)
  if (folder !== null) await rm(folder, { recursive: true, force: true })
  return ok({ name, filesDeleted: folder !== null })
}
