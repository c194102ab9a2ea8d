import { existsSync, mkdirSync, statSync } from 'node:fs'
import { resolve } from 'node:path'

import type { Command } from 'commander'

import type { Registry } from '../../store/index.js'
import { CliError, orFail, printJson } from '../util.js'

async function withRegistry<T>(use: (registry: Registry) => T): Promise<T> {
  const { Registry } = await import('../../store/index.js')
  const registry = orFail(Registry.open())
  try {
    return use(registry)
  } finally {
    registry.close()
  }
}

/** Registers `autocoder projects add|list|remove`. */
export function registerProjectsCommand(program: Command): void {
  const projects = program
    .command('projects')
    .description('Manage the registry of projects (name -> folder)')

  projects
    .command('add')
    .description('Register a project folder under a short name (the folder is created if missing)')
    .argument('<name>', 'project name: 1-50 letters, digits, - or _')
    .argument('<path>', 'project folder')
    .action(async (name: string, path: string) => {
      const absolute = resolve(path)
      if (existsSync(absolute) && !statSync(absolute).isDirectory()) {
        throw new CliError(`${absolute} exists and is not a directory; choose a folder.`, 2)
      }
      const project = await withRegistry((registry) => orFail(registry.add(name, absolute), 2))
      mkdirSync(absolute, { recursive: true })
      process.stdout.write(`registered ${project.name} -> ${project.path}\n`)
    })

  projects
    .command('list')
    .description('List registered projects')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const list = await withRegistry((registry) => registry.list())
      if (options.json) {
        printJson(list.map((p) => ({ ...p, exists: existsSync(p.path) })))
        return
      }
      if (list.length === 0) {
        process.stdout.write(
          'no projects registered; add one with `autocoder projects add NAME PATH`\n',
        )
        return
      }
      const width = Math.max(...list.map((p) => p.name.length))
      for (const p of list) {
        process.stdout.write(
          `${p.name.padEnd(width)}  ${p.path}${existsSync(p.path) ? '' : '  (missing)'}\n`,
        )
      }
    })

  projects
    .command('remove')
    .description('Unregister a project (its files are left alone)')
    .argument('<name>', 'project name')
    .action(async (name: string) => {
      const project = await withRegistry((registry) => orFail(registry.remove(name)))
      process.stdout.write(`removed ${project.name} (files left in ${project.path})\n`)
    })
}
