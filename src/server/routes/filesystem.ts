import {
  FsCreateDirectoryBody,
  FsCreateDirectoryResponse,
  FsListQuery,
  FsListResponse,
  FsRootsResponse,
  FsValidateBody,
  FsValidateResponse,
} from '../../core/api/index.js'
import { ok } from '../../core/index.js'
import type { ApiRouter } from '../api-router.js'
import { createDirectory, listDirectory, validateProjectPath } from '../filesystem/browse.js'
import type { Confinement } from '../filesystem/confine.js'

/** The folder picker: browsing and creating folders, confined to the allowed roots. */
export function registerFilesystemRoutes(api: ApiRouter, confinement: Confinement): void {
  api.route({
    method: 'GET',
    url: '/api/filesystem/roots',
    summary: 'Home directory and the folders that may be browsed',
    tags: ['filesystem'],
    response: FsRootsResponse,
    handler: () => ok({ home: confinement.home, roots: [...confinement.roots] }),
  })
  api.route({
    method: 'GET',
    url: '/api/filesystem/list',
    summary: 'Sub-folders of a folder inside the allowed roots',
    tags: ['filesystem'],
    query: FsListQuery,
    response: FsListResponse,
    handler: ({ query }) => listDirectory(confinement, query.path, query.show_hidden ?? false),
  })
  api.route({
    method: 'POST',
    url: '/api/filesystem/create-directory',
    summary: 'Create a folder inside an allowed folder',
    tags: ['filesystem'],
    body: FsCreateDirectoryBody,
    response: FsCreateDirectoryResponse,
    status: 201,
    handler: ({ body }) => createDirectory(confinement, body.parentPath, body.name),
  })
  api.route({
    method: 'POST',
    url: '/api/filesystem/validate',
    summary: 'Whether a project folder can be created or used at a path',
    tags: ['filesystem'],
    body: FsValidateBody,
    response: FsValidateResponse,
    handler: ({ body }) => validateProjectPath(confinement, body.path),
  })
}
