import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { createServer } from '../../../src/server/index.js'
import type { AutocoderServer } from '../../../src/server/index.js'
import { authedInject } from '../../helpers/server-auth.js'
import { tempDir } from '../../helpers/tmp.js'

describe('filesystem routes (folder picker)', () => {
  let dir: ReturnType<typeof tempDir>
  let home: string
  let outside: string
  let server: AutocoderServer

  beforeEach(async () => {
    dir = tempDir()
    const root = realpathSync(dir.path)
    home = join(root, 'home')
    outside = join(root, 'outside')
    for (const sub of [
      'projects/app/src',
      'Beta',
      'alpha',
      '.hidden',
      '.ssh',
      'my-secrets',
      '.env.local',
    ])
      mkdirSync(join(home, sub), { recursive: true })
    mkdirSync(join(outside, 'private'), { recursive: true })
    writeFileSync(join(home, 'notes.txt'), 'x')
    symlinkSync(outside, join(home, 'escape'))
    symlinkSync(join(home, 'projects'), join(home, 'shortcut'))
    server = await createServer({ homeDir: home, validateResponses: true })
  })
  afterEach(async () => {
    await server.app.close()
    dir[Symbol.dispose]()
  })

  const list = (query: string) => authedInject(server)({ url: `/api/filesystem/list${query}` })

  it('lists only allowed sub-folders of home, sorted, with symlinks that stay inside', async () => {
    const response = await list('')
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body.currentPath).toBe(home)
    expect(body.parentPath).toBeNull()
    expect(body.entries.map((e: { name: string }) => e.name)).toEqual([
      'alpha',
      'Beta',
      'projects',
      'shortcut',
    ])
    expect(body.entries.find((e: { name: string }) => e.name === 'projects')).toMatchObject({
      hasChildren: true,
      isHidden: false,
    })
  })

  it('shows hidden folders on request but never credential folders', async () => {
    const names = (await list('?show_hidden=true'))
      .json()
      .entries.map((e: { name: string }) => e.name)
    expect(names).toContain('.hidden')
    expect(names).not.toContain('.ssh')
    expect(names).not.toContain('.env.local')
    expect(names).not.toContain('my-secrets')
  })

  it('refuses path traversal out of the allowed root', async () => {
    const response = await list(`?path=${encodeURIComponent(`${home}/../outside`)}`)
    expect(response.statusCode).toBe(403)
    expect(response.json().error.code).toBe('OUTSIDE_ROOTS')
    expect((await list('?path=/etc')).statusCode).toBe(403)
  })

  it('refuses a symlink that leads outside the allowed root', async () => {
    const response = await list(`?path=${encodeURIComponent(join(home, 'escape'))}`)
    expect(response.statusCode).toBe(403)
    expect(response.json().error.message).toContain('symbolic link')
    expect(response.body).not.toContain(outside)
  })

  it('refuses credential folders even when asked for directly', async () => {
    expect((await list(`?path=${encodeURIComponent(join(home, '.ssh'))}`)).statusCode).toBe(403)
  })

  it('answers 404 for a missing folder, 400 for a file, a relative path or a bad flag', async () => {
    expect((await list(`?path=${encodeURIComponent(join(home, 'nope'))}`)).statusCode).toBe(404)
    expect((await list(`?path=${encodeURIComponent(join(home, 'notes.txt'))}`)).statusCode).toBe(
      400,
    )
    expect((await list('?path=projects')).statusCode).toBe(400)
    const flag = await list('?show_hidden=maybe')
    expect(flag.statusCode).toBe(400)
    expect(flag.json().error.message).toContain('query.show_hidden')
  })

  it('expands ~ and reports the parent inside the root', async () => {
    const body = (await list('?path=~/projects/app')).json()
    expect(body.currentPath).toBe(join(home, 'projects', 'app'))
    expect(body.parentPath).toBe(join(home, 'projects'))
  })

  it('creates a folder inside the root and refuses bad names, duplicates and outside parents', async () => {
    const create = (parentPath: string, name: string) =>
      authedInject(server)({
        method: 'POST',
        url: '/api/filesystem/create-directory',
        payload: { parentPath, name },
      })
    const created = await create(home, 'new-app')
    expect(created.statusCode).toBe(201)
    expect(created.json()).toEqual({ path: join(home, 'new-app') })
    expect((await create(home, 'new-app')).statusCode).toBe(409)
    expect((await create(home, '..')).statusCode).toBe(400)
    expect((await create(home, 'a/b')).statusCode).toBe(400)
    expect((await create(outside, 'x')).statusCode).toBe(403)
    expect((await create(join(home, 'escape'), 'x')).statusCode).toBe(403)
    expect((await create(home, '.aws')).statusCode).toBe(403)
  })

  it('validates a project path: new folder in a writable parent, existing folder, outside root', async () => {
    const validate = (path: string) =>
      authedInject(server)({ method: 'POST', url: '/api/filesystem/validate', payload: { path } })
    expect((await validate(join(home, 'fresh'))).json()).toMatchObject({
      valid: true,
      exists: false,
    })
    expect((await validate(join(home, 'alpha'))).json()).toMatchObject({
      valid: true,
      exists: true,
      isDirectory: true,
    })
    expect((await validate(join(home, 'notes.txt'))).json()).toMatchObject({
      valid: false,
      isDirectory: false,
    })
    expect((await validate(join(outside, 'x'))).statusCode).toBe(403)
  })
})
